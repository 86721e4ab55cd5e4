"""The fault drill's parts (bench/faults.py runs them): its own PostgreSQL, Redis and SMTP
server that it can stop, slow or break, the app's processes, and the load generator."""
