"""Rankings: live from the marks, frozen into results at ``final``, exported, published."""
