"""The core's and every in-tree plugin's tests use the plugin test kit: markers, the descriptor-leak check."""

pytest_plugins = ["sockcore.testing"]
