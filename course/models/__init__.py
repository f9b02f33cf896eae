"""Pure functions implementing the course's models: no widgets, no I/O beyond packaged data.

One module per model family; each function's docstring names the theory it implements.
"""
