"""Alembic environment of the case store: always run on a connection the store hands over
(``casestore.migrate.upgrade``), inside the store's own transaction — no alembic.ini, no URL here."""

from alembic import context

from casestore.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
