"""A tiny process-wide cache for reference data."""


class Cache:
    def __init__(self):
        self.items = {}

    def get_or_load(self, key, load):
        if key not in self.items:
            self.items[key] = load()
        return self.items[key]


cache = Cache()
