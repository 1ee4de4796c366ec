"""Background jobs: one table (jobs) for imports and batch printing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 18:00:00

The rows of import_jobs and certificate_print_jobs become rows of jobs, then both tables go.
Print jobs keep their ids (the job page's URL and «Lần in #…») and their file name, so the
finished files in instance/print_jobs still download; import jobs are numbered after them and
keep their import in their parameters ({"import_id": …}). The downgrade copies the jobs of
these four kinds back into the two tables.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

STATES = ('queued', 'running', 'done', 'failed')
IMPORT_KINDS = {'preview': 'import-preview', 'commit': 'import-commit'}
PRINT_KINDS = {'pdf': 'certificates-pdf', 'zip': 'certificates-zip'}

jobs = sa.table(
    'jobs', sa.column('id', sa.Integer), sa.column('kind', sa.String),
    sa.column('parameters', sa.JSON), sa.column('state', sa.String),
    sa.column('done', sa.Integer), sa.column('total', sa.Integer),
    sa.column('message', sa.Text), sa.column('result_file', sa.String),
    sa.column('created_by_id', sa.Integer), sa.column('created_at', sa.DateTime),
    sa.column('started_at', sa.DateTime), sa.column('finished_at', sa.DateTime),
    sa.column('heartbeat_at', sa.DateTime),
)
import_jobs = sa.table(
    'import_jobs', sa.column('id', sa.Integer), sa.column('import_id', sa.Integer),
    sa.column('action', sa.String), sa.column('state', sa.String),
    sa.column('done', sa.Integer), sa.column('total', sa.Integer),
    sa.column('message', sa.Text), sa.column('created_at', sa.DateTime),
    sa.column('started_at', sa.DateTime), sa.column('finished_at', sa.DateTime),
    sa.column('heartbeat_at', sa.DateTime),
)
print_jobs = sa.table(
    'certificate_print_jobs', sa.column('id', sa.Integer), sa.column('decision_id', sa.Integer),
    sa.column('enterprise_id', sa.Integer), sa.column('kind', sa.String),
    sa.column('status', sa.String), sa.column('total', sa.Integer),
    sa.column('done', sa.Integer), sa.column('base_url', sa.String),
    sa.column('file_name', sa.String), sa.column('error', sa.String),
    sa.column('created_by_id', sa.Integer), sa.column('created_at', sa.DateTime),
    sa.column('finished_at', sa.DateTime),
)
imports = sa.table('imports', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer))


def _reset_sequence(table):
    """PostgreSQL: the next id after the ids inserted explicitly (SQLite needs nothing)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}")


def _insert(table, rows):
    if rows:
        op.get_bind().execute(table.insert(), rows)


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum(*STATES, name='jobstate', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('result_file', sa.String(length=255), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_jobs_state_id', ['state', 'id'], unique=False)

    bind = op.get_bind()
    rows = [{
        'id': row.id, 'kind': PRINT_KINDS.get(row.kind, 'certificates-pdf'),
        'parameters': {'decision_id': row.decision_id, 'enterprise_id': row.enterprise_id,
                       'base_url': row.base_url},
        'state': row.status, 'done': row.done, 'total': row.total, 'message': row.error,
        'result_file': row.file_name if row.status == 'done' else '',
        'created_by_id': row.created_by_id, 'created_at': row.created_at, 'started_at': None,
        'finished_at': row.finished_at, 'heartbeat_at': None,
    } for row in bind.execute(sa.select(print_jobs).order_by(print_jobs.c.id))]
    _insert(jobs, rows)
    offset = max((row['id'] for row in rows), default=0)
    rows = [{
        'id': row.id + offset, 'kind': IMPORT_KINDS.get(row.action, 'import-preview'),
        'parameters': {'import_id': row.import_id}, 'state': row.state, 'done': row.done,
        'total': row.total, 'message': row.message, 'result_file': '',
        'created_by_id': row.user_id, 'created_at': row.created_at,
        'started_at': row.started_at, 'finished_at': row.finished_at,
        'heartbeat_at': row.heartbeat_at,
    } for row in bind.execute(
        sa.select(import_jobs, imports.c.user_id)
        .join(imports, imports.c.id == import_jobs.c.import_id).order_by(import_jobs.c.id))]
    _insert(jobs, rows)
    _reset_sequence('jobs')

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_import_jobs_state_id')
        batch_op.drop_index(batch_op.f('ix_import_jobs_import_id'))
    op.drop_table('import_jobs')
    with op.batch_alter_table('certificate_print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_print_jobs_decision_id'))
    op.drop_table('certificate_print_jobs')


def downgrade():
    op.create_table('certificate_print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum(*STATES, name='printjobstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('base_url', sa.String(length=255), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_certificate_print_jobs_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_certificate_print_jobs_decision_id_decisions')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_certificate_print_jobs_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_print_jobs'))
    )
    with op.batch_alter_table('certificate_print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_print_jobs_decision_id'), ['decision_id'], unique=False)

    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('state', sa.Enum(*STATES, name='jobstate', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_import_jobs_import_id_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_import_jobs_state_id', ['state', 'id'], unique=False)

    bind = op.get_bind()
    prints, loads = [], []
    formats = {kind: file_format for file_format, kind in PRINT_KINDS.items()}
    actions = {kind: action for action, kind in IMPORT_KINDS.items()}
    for row in bind.execute(sa.select(jobs).order_by(jobs.c.id)):
        parameters = row.parameters or {}
        if row.kind in formats and parameters.get('decision_id') is not None:
            prints.append({
                'id': row.id, 'decision_id': parameters['decision_id'],
                'enterprise_id': parameters.get('enterprise_id'), 'kind': formats[row.kind],
                'status': row.state, 'total': row.total, 'done': row.done,
                'base_url': parameters.get('base_url', ''),
                'file_name': row.result_file or f'job-{row.id}.{formats[row.kind]}',
                'error': row.message[:500], 'created_by_id': row.created_by_id,
                'created_at': row.created_at, 'finished_at': row.finished_at,
            })
        elif row.kind in actions and parameters.get('import_id') is not None:
            loads.append({
                'id': row.id, 'import_id': parameters['import_id'],
                'action': actions[row.kind], 'state': row.state, 'done': row.done,
                'total': row.total, 'message': row.message, 'created_at': row.created_at,
                'started_at': row.started_at, 'finished_at': row.finished_at,
                'heartbeat_at': row.heartbeat_at,
            })
    _insert(print_jobs, prints)
    _insert(import_jobs, loads)
    _reset_sequence('certificate_print_jobs')
    _reset_sequence('import_jobs')

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_state_id')
        batch_op.drop_index(batch_op.f('ix_jobs_created_by_id'))
    op.drop_table('jobs')
