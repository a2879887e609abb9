# Một Cửa ships its test fixtures as a pytest plugin: app, client, runner, factory (units, users, tokens).
pytest_plugins = ["core.testing"]
