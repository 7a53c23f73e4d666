"""Framework-free algorithms: plain data in, plain data out, no Django import, property-tested."""
