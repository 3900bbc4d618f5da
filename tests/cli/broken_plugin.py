"""A plugin whose import fails: the command must say so in one line."""

raise ImportError("this test plugin is broken on purpose")
