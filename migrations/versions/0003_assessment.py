"""Assessment: criteria sets, yearly assessments of workers, scores and their history.

Also inserts the first criteria set, Hội Khuyến học Việt Nam's 2021–2030 criteria for workers
(registry.assessment.criteria_data), active.  Scores, points and hours are integer tenths
(registry.db.Tenths).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 06:10:00
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from registry.assessment.criteria_data import WORKERS_2021_2030


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _tenths(value):
    return None if value is None else int(value * 10)


def _insert_criteria_set(data):
    """Insert one shipped criteria set (plain values from CriteriaSetData.as_dict()), active."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    sets = sa.table(
        'criteria_sets',
        *(sa.column(name) for name in (
            'name', 'reference', 'reference_note', 'target_group', 'period_start',
            'period_end', 'pass_total', 'min_per_indicator', 'min_hours', 'min_age',
            'employed_in_commune_on', 'is_active', 'created_at', 'updated_at')),
        sa.column('required_areas', sa.JSON()),
    )
    competences = sa.table(
        'criteria_competences', sa.column('criteria_set_id'), sa.column('code'),
        sa.column('name'))
    indicators = sa.table(
        'criteria_indicators', sa.column('criteria_set_id'), sa.column('code'),
        sa.column('competence'), sa.column('text'), sa.column('short_label'),
        sa.column('max_points'))
    bind = op.get_bind()
    set_id = bind.execute(
        sets.insert().values(
            name=data['name'], reference=data['reference'],
            reference_note=data['reference_note'], target_group=data['target_group'],
            period_start=data['period_start'], period_end=data['period_end'],
            pass_total=_tenths(data['pass_total']),
            min_per_indicator=_tenths(data['min_per_indicator']),
            required_areas=list(data['required_areas']), min_hours=_tenths(data['min_hours']),
            min_age=data['min_age'], employed_in_commune_on=data['employed_in_commune_on'],
            is_active=True, created_at=now, updated_at=now,
        ).returning(sa.column('id'))
    ).scalar_one()
    bind.execute(competences.insert(), [
        {'criteria_set_id': set_id, 'code': c['code'], 'name': c['name']}
        for c in data['competences']
    ])
    bind.execute(indicators.insert(), [
        {'criteria_set_id': set_id, 'code': i['code'], 'competence': i['competence'],
         'text': i['text'], 'short_label': i['short_label'],
         'max_points': _tenths(i['max_points'])}
        for i in data['indicators']
    ])


def upgrade():
    op.create_table('criteria_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('reference', sa.String(length=255), nullable=False),
    sa.Column('reference_note', sa.Text(), nullable=False),
    sa.Column('target_group', sa.String(length=255), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=False),
    sa.Column('period_end', sa.Integer(), nullable=False),
    sa.Column('pass_total', sa.Integer(), nullable=False),
    sa.Column('min_per_indicator', sa.Integer(), nullable=False),
    sa.Column('required_areas', sa.JSON(), nullable=False),
    sa.Column('min_hours', sa.Integer(), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('employed_in_commune_on', sa.Date(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('derived_from_id', sa.Integer(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('min_age IS NULL OR min_age BETWEEN 0 AND 100', name=op.f('ck_criteria_sets_min_age')),
    sa.CheckConstraint('min_hours IS NULL OR min_hours >= 0', name=op.f('ck_criteria_sets_min_hours')),
    sa.CheckConstraint('pass_total >= 0 AND min_per_indicator >= 0', name=op.f('ck_criteria_sets_thresholds')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_criteria_sets_period_order')),
    sa.ForeignKeyConstraint(['derived_from_id'], ['criteria_sets.id'], name=op.f('fk_criteria_sets_derived_from_id_criteria_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_sets'))
    )
    op.create_table('criteria_competences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_competences_criteria_set_id_criteria_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_competences')),
    sa.UniqueConstraint('criteria_set_id', 'code', name=op.f('uq_criteria_competences_criteria_set_id_code'))
    )
    op.create_table('criteria_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('competence', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('short_label', sa.String(length=120), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_points > 0', name=op.f('ck_criteria_indicators_max_points_positive')),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_indicators_criteria_set_id_criteria_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_indicators')),
    sa.UniqueConstraint('criteria_set_id', 'code', name=op.f('uq_criteria_indicators_criteria_set_id_code'))
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'reviewed', 'approved', 'returned', name='assessmentstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_assessments_year_range')),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_assessments_criteria_set_id_criteria_sets')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_assessments_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_assessments_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('worker_id', 'year', name=op.f('uq_assessments_worker_id_year'))
    )
    op.create_index(op.f('ix_assessments_criteria_set_id'), 'assessments', ['criteria_set_id'], unique=False)
    op.create_index('ix_assessments_year_enterprise', 'assessments', ['year', 'enterprise_id'], unique=False)
    op.create_table('assessment_score_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.Integer(), nullable=False),
    sa.Column('old_score', sa.Integer(), nullable=True),
    sa.Column('new_score', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'reviewed', 'approved', 'returned', name='assessmentstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_score_changes_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_score_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_score_changes'))
    )
    op.create_index(op.f('ix_assessment_score_changes_assessment_id'), 'assessment_score_changes', ['assessment_id'], unique=False)
    op.create_table('assessment_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('evidence_note', sa.String(length=500), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_assessment_scores_score_not_negative')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_scores')),
    sa.UniqueConstraint('assessment_id', 'indicator_code', name=op.f('uq_assessment_scores_assessment_id_indicator_code'))
    )
    op.create_table('assessment_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('draft', 'submitted', 'reviewed', 'approved', 'returned', name='from_status', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'submitted', 'reviewed', 'approved', 'returned', name='assessmentstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_transitions_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_transitions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_transitions'))
    )
    op.create_index(op.f('ix_assessment_transitions_assessment_id'), 'assessment_transitions', ['assessment_id'], unique=False)

    _insert_criteria_set(WORKERS_2021_2030.as_dict())


def downgrade():
    op.drop_index(op.f('ix_assessment_transitions_assessment_id'), table_name='assessment_transitions')
    op.drop_table('assessment_transitions')
    op.drop_table('assessment_scores')
    op.drop_index(op.f('ix_assessment_score_changes_assessment_id'), table_name='assessment_score_changes')
    op.drop_table('assessment_score_changes')
    op.drop_index('ix_assessments_year_enterprise', table_name='assessments')
    op.drop_index(op.f('ix_assessments_criteria_set_id'), table_name='assessments')
    op.drop_table('assessments')
    op.drop_table('criteria_indicators')
    op.drop_table('criteria_competences')
    op.drop_table('criteria_sets')
