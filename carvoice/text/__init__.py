"""Text shared by the stages and the tools that measure them: numbers in words and digits, word error rate."""
