"""Reports: plans and targets, commendations, communication, events, directives, spending.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:10:00

Also inserts the national plan, Decision 1268/QĐ-TTg of 19/10/2022, with its targets for 2025
and 2030 (percent stored as integer tenths, registry.db.Tenths), and the dashboard's data
version token.
"""
from datetime import date, datetime, timezone
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: Decision 1268/QĐ-TTg: (indicator, 2025 target, 2030 target) in percent.
NATIONAL_TARGETS = (("a", 70, 90), ("b", 50, 75), ("c", 50, 75), ("d", 40, 65), ("e", 30, 50))


def upgrade():
    op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.create_table('commendation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('issuing_body', sa.String(length=255), nullable=False),
    sa.Column('decision_number', sa.String(length=50), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('signer_title', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('open', 'approved', name='roundstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_commendation_rounds_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commendation_rounds'))
    )
    op.create_index(op.f('ix_commendation_rounds_commune_id'), 'commendation_rounds', ['commune_id'], unique=False)
    op.create_table('communication_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('radio', 'facebook', 'zalo', 'website', 'other', name='channel', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('count >= 1', name=op.f('ck_communication_items_count_positive')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_communication_items_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communication_items'))
    )
    op.create_index(op.f('ix_communication_items_commune_id'), 'communication_items', ['commune_id'], unique=False)
    op.create_table('directives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_directives_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directives'))
    )
    op.create_index(op.f('ix_directives_commune_id'), 'directives', ['commune_id'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('national', 'province', 'commune', name='planlevel', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('issuing_body', sa.String(length=255), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('counting_window', sa.Enum('year', 'cumulative', name='countingwindow', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(level != 'province' OR province_id IS NOT NULL) AND (level != 'commune' OR commune_id IS NOT NULL)", name=op.f('ck_plans_level_binding')),
    sa.CheckConstraint('end_year >= start_year', name=op.f('ck_plans_period_order')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_plans_commune_id_communes')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_plans_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index(op.f('ix_plans_commune_id'), 'plans', ['commune_id'], unique=False)
    op.create_index(op.f('ix_plans_province_id'), 'plans', ['province_id'], unique=False)
    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_report_events_period_order')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_report_events_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    op.create_index(op.f('ix_report_events_commune_id'), 'report_events', ['commune_id'], unique=False)
    op.create_table('report_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_report_texts_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_texts')),
    sa.UniqueConstraint('commune_id', 'key', name=op.f('uq_report_texts_commune_id_key'))
    )
    op.create_table('plan_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.Enum('a', 'b', 'c', 'd', 'e', name='indicator', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.CheckConstraint('percent >= 0 AND percent <= 1000', name=op.f('ck_plan_targets_percent_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_targets')),
    sa.UniqueConstraint('plan_id', 'indicator', 'year', name=op.f('uq_plan_targets_plan_id_indicator_year'))
    )
    op.create_index(op.f('ix_plan_targets_plan_id'), 'plan_targets', ['plan_id'], unique=False)
    op.create_table('spendings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('source', sa.Enum('commune', 'union', 'enterprise', 'other', name='fundingsource', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('purpose', sa.String(length=500), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_spendings_amount_not_negative')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_spendings_commune_id_communes')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_spendings_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spendings'))
    )
    op.create_index(op.f('ix_spendings_commune_id'), 'spendings', ['commune_id'], unique=False)
    op.create_table('commendation_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('worker', 'child', name='entrykind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('child_name', sa.String(length=200), nullable=False),
    sa.Column('child_birth_year', sa.Integer(), nullable=True),
    sa.Column('achievement', sa.String(length=255), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'approved', 'rejected', name='entrystatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind != 'child' OR (child_name != '' AND child_birth_year IS NOT NULL)", name=op.f('ck_commendation_entries_child_details')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_commendation_entries_amount_not_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_commendation_entries_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_commendation_entries_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['commendation_rounds.id'], name=op.f('fk_commendation_entries_round_id_commendation_rounds')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_commendation_entries_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commendation_entries')),
    sa.UniqueConstraint('round_id', 'kind', 'worker_id', 'child_name', name=op.f('uq_commendation_entries_round_id_kind_worker_id_child_name'))
    )
    op.create_index(op.f('ix_commendation_entries_enterprise_id'), 'commendation_entries', ['enterprise_id'], unique=False)
    op.create_index(op.f('ix_commendation_entries_round_id'), 'commendation_entries', ['round_id'], unique=False)
    op.create_index(op.f('ix_commendation_entries_worker_id'), 'commendation_entries', ['worker_id'], unique=False)

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    plans = sa.table(
        'plans', sa.column('id', sa.Integer), sa.column('level', sa.String),
        sa.column('issuing_body', sa.String), sa.column('number', sa.String),
        sa.column('issued_on', sa.Date), sa.column('title', sa.String),
        sa.column('start_year', sa.Integer), sa.column('end_year', sa.Integer),
        sa.column('counting_window', sa.String), sa.column('created_at', sa.DateTime),
        sa.column('updated_at', sa.DateTime),
    )
    op.bulk_insert(plans, [{
        'id': 1, 'level': 'national', 'issuing_body': 'Thủ tướng Chính phủ',
        'number': '1268/QĐ-TTg', 'issued_on': date(2022, 10, 19),
        'title': 'Phê duyệt Chương trình “Đẩy mạnh các hoạt động học tập suốt đời trong công '
                 'nhân lao động tại các doanh nghiệp đến năm 2030”',
        'start_year': 2022, 'end_year': 2030, 'counting_window': 'year',
        'created_at': now, 'updated_at': now,
    }])
    targets = sa.table(
        'plan_targets', sa.column('plan_id', sa.Integer), sa.column('indicator', sa.String),
        sa.column('year', sa.Integer), sa.column('percent', sa.Integer),
    )
    op.bulk_insert(targets, [
        {'plan_id': 1, 'indicator': key, 'year': year, 'percent': percent * 10}
        for key, by_2025, by_2030 in NATIONAL_TARGETS
        for year, percent in ((2025, by_2025), (2030, by_2030))
    ])
    if op.get_bind().dialect.name == 'postgresql':
        # The explicit id above does not advance the serial sequence.
        op.execute("SELECT setval(pg_get_serial_sequence('plans', 'id'), 1)")
    versions = sa.table('data_versions', sa.column('name', sa.String),
                        sa.column('token', sa.String))
    op.bulk_insert(versions, [{'name': 'dashboard', 'token': uuid.uuid4().hex}])


def downgrade():
    op.drop_index(op.f('ix_commendation_entries_enterprise_id'), table_name='commendation_entries')
    op.drop_index(op.f('ix_commendation_entries_round_id'), table_name='commendation_entries')
    op.drop_index(op.f('ix_commendation_entries_worker_id'), table_name='commendation_entries')
    op.drop_table('commendation_entries')
    op.drop_index(op.f('ix_spendings_commune_id'), table_name='spendings')
    op.drop_table('spendings')
    op.drop_index(op.f('ix_plan_targets_plan_id'), table_name='plan_targets')
    op.drop_table('plan_targets')
    op.drop_table('report_texts')
    op.drop_index(op.f('ix_report_events_commune_id'), table_name='report_events')
    op.drop_table('report_events')
    op.drop_index(op.f('ix_plans_commune_id'), table_name='plans')
    op.drop_index(op.f('ix_plans_province_id'), table_name='plans')
    op.drop_table('plans')
    op.drop_index(op.f('ix_directives_commune_id'), table_name='directives')
    op.drop_table('directives')
    op.drop_index(op.f('ix_communication_items_commune_id'), table_name='communication_items')
    op.drop_table('communication_items')
    op.drop_index(op.f('ix_commendation_rounds_commune_id'), table_name='commendation_rounds')
    op.drop_table('commendation_rounds')
    op.drop_table('data_versions')
