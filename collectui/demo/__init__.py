"""Demo data: a realistic village bank built with Faker (zh_CN) and the training scenarios; a consumer of
the domain, never imported by it."""
