"""A thin wrapper over an async driver: SQL text in, rows out."""


class Connection:
    big_int = "BIGINT"
    timestamp_now = "CURRENT_TIMESTAMP"

    def __init__(self, driver):
        self.driver = driver

    async def execute(self, query, values=None):
        return await self.driver.run(query, values or {})

    async def fetchone(self, query, values=None):
        result = await self.execute(query, values)
        return result.first()

    async def fetchall(self, query, values=None):
        result = await self.execute(query, values)
        return result.all()


db = Connection(driver=None)
