"""The attention list: every warning signal ranked on one scale, capped at a daily budget."""
