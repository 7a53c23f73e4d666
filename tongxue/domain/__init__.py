"""Framework-free algorithms (no Django import): plain data in, plain data out, property-tested."""
