"""Recognition: decisions, their frozen lists and the certificates issued from them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:10:00

Timestamps are UTC DateTime; scores are integer tenths (registry.db.Tenths).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_counters',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_certificate_counters_commune_id_communes')),
    sa.PrimaryKeyConstraint('commune_id', 'year', name=op.f('pk_certificate_counters'))
    )

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'issued', name='decisionstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('parent_body', sa.String(length=200), nullable=False),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=10), nullable=False),
    sa.Column('symbol', sa.String(length=40), nullable=False),
    sa.Column('number_year', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('legal_bases', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('executors', sa.Text(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=True),
    sa.Column('criteria_set_label', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_decisions_year_range')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_decisions_commune_id_communes')),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_decisions_criteria_set_id_criteria_sets')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_decisions_issued_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_commune_year', ['commune_id', 'year'], unique=False)
        batch_op.create_index('uq_decisions_issued_number', ['commune_id', 'number_year', 'number', 'symbol'], unique=True, sqlite_where=sa.text("status = 'issued'"), postgresql_where=sa.text("status = 'issued'"))

    op.create_table('certificate_print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='printjobstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
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

    op.create_table('decision_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('criteria_set_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('sort_key', sa.LargeBinary(), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_name', sa.String(length=255), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('lowest', sa.Integer(), nullable=True),
    sa.Column('recognised_year', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('removed_reason', sa.String(length=500), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_decision_entries_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_decision_entries_criteria_set_id_criteria_sets')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_entries_decision_id_decisions')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_decision_entries_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_decision_entries_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_entries')),
    sa.UniqueConstraint('decision_id', 'worker_id', name=op.f('uq_decision_entries_decision_id_worker_id')),
    sa.UniqueConstraint('worker_id', 'recognised_year', name=op.f('uq_decision_entries_worker_id_recognised_year'))
    )

    with op.batch_alter_table('decision_entries', schema=None) as batch_op:
        batch_op.create_index('ix_decision_entries_decision_sort', ['decision_id', 'sort_key', 'id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('qr_url', sa.String(length=300), nullable=False),
    sa.Column('qr_path', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('valid', 'superseded', 'revoked', name='certificatestatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('enterprise_name', sa.String(length=255), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('reissue_reason', sa.String(length=500), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=500), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_certificates_decision_id_decisions')),
    sa.ForeignKeyConstraint(['entry_id'], ['decision_entries.id'], name=op.f('fk_certificates_entry_id_decision_entries')),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['certificates.id'], name=op.f('fk_certificates_replaced_by_id_certificates')),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_certificates_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('token', name=op.f('uq_certificates_token'))
    )

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_decision_serial', ['decision_id', 'serial'], unique=False)
        batch_op.create_index('ix_certificates_entry', ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_worker_id'), ['worker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_worker_id'))
        batch_op.drop_index('ix_certificates_entry')
        batch_op.drop_index('ix_certificates_decision_serial')
    op.drop_table('certificates')
    with op.batch_alter_table('decision_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_entries_decision_sort')
    op.drop_table('decision_entries')
    with op.batch_alter_table('certificate_print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_print_jobs_decision_id'))
    op.drop_table('certificate_print_jobs')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('uq_decisions_issued_number', sqlite_where=sa.text("status = 'issued'"), postgresql_where=sa.text("status = 'issued'"))
        batch_op.drop_index('ix_decisions_commune_year')
    op.drop_table('decisions')
    op.drop_table('certificate_counters')
