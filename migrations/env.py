import logging
import os
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)  # keep the app's loggers alive
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())

target_db = current_app.extensions['migrate'].db

# When writing a revision for one branch, MOTCUA_MIGRATION_SCOPE=core|<plugin> keeps the other branches' tables out
# of autogenerate (a plugin owns the tables prefixed with its name). Unset, every table is compared (flask db check).
_plugin_prefixes = tuple(f"{name}_" for name in current_app.extensions['motcua'].plugins)
_scope = os.environ.get('MOTCUA_MIGRATION_SCOPE')


# Indexes written by hand in a revision because autogenerate cannot compare them (PostgreSQL expression indexes).
# core_0002; core_0014 (pg_trgm)
_HAND_WRITTEN_INDEXES = {'ix_dossiers_open_span', 'ix_dossiers_name_trgm', 'ix_dossiers_code_trgm'}


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == 'index' and name in _HAND_WRITTEN_INDEXES:
        return False
    if not _scope:
        return True
    table = obj.table.name if type_ not in ('table',) and hasattr(obj, 'table') else name
    if _scope == 'core':
        return not table.startswith(_plugin_prefixes)
    return table.startswith(f"{_scope}_")

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = dict(current_app.extensions['migrate'].configure_args)
    conf_args["include_object"] = include_object
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table (copy, DROP, rename). With foreign keys on, dropping a table that
            # other rows refer to fails, so a database with data could not be upgraded. SQLite honours this pragma
            # only outside a transaction: it goes through the driver's connection, which is in autocommit
            # (core.dbutil), before the migration's transaction begins, and is checked and undone after it.
            driver = connection.connection.driver_connection
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                **conf_args
            )

            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = driver.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows that refer to missing rows: {broken[:5]}")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
