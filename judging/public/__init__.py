"""What anyone may see: published results and certificate verification."""
