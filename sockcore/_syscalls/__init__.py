"""The core's private syscall layer: the raw libc bindings live in :mod:`sockcore._syscalls.libc`.

(A package only because ctypes may appear in files named ``libc.py`` alone.)
"""
