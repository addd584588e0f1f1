"""factframe: real facts into correct pictures."""
