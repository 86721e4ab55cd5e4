"""How a place's partners are funded, and the transparency register as open data."""
