"""The region tree: district → town → village → grid → estate → building → household."""
