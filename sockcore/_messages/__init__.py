"""The kept msghdr blocks of sendmsg/recvmsg and recvmmsg/sendmmsg: :mod:`sockcore._messages.libc`.

(A package only because ctypes may appear in files named ``libc.py`` alone.)
"""
