"""Assessment: a commune's own local conditions, and each criteria set's evidence mapping.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:20:00

The evidence mapping (programme area × activity form → indicators, with the base of the
suggested score) becomes rows of its criteria set.  Every existing set gets the mapping the
code used until now (registry.assessment.evidence.DEFAULT_EVIDENCE_RULES), written out here so
that this migration does not change when the code does.  Points are integer tenths
(registry.db.Tenths).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

#: (area or None: any, form or None: any, indicators, base of the suggestion in points or None)
DEFAULT_RULES = (
    (None, 'reading', (1,), 5),
    ('law', None, (1,), 5),
    ('law', None, (8,), None),
    (None, 'course', (2, 3), 5),
    (None, 'seminar', (2, 3), 5),
    (None, 'online', (2, 5), 5),
    (None, 'event', (3,), 5),
    ('digital', None, (5,), 5),
    ('skill', None, (7,), 5),
    ('life', None, (9, 10), 5),
    (None, 'competition', (7, 10), 5),
)


def upgrade():
    op.create_table('criteria_evidence_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=True),
    sa.Column('form', sa.String(length=20), nullable=True),
    sa.Column('indicator_code', sa.Integer(), nullable=False),
    sa.Column('suggest_points', sa.Integer(), nullable=True),
    sa.CheckConstraint('suggest_points IS NULL OR suggest_points >= 0', name=op.f('ck_criteria_evidence_rules_suggest_points_not_negative')),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_evidence_rules_criteria_set_id_criteria_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_evidence_rules'))
    )
    op.create_index(op.f('ix_criteria_evidence_rules_criteria_set_id'), 'criteria_evidence_rules', ['criteria_set_id'], unique=False)
    op.create_table('commune_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=True),
    sa.Column('required_areas', sa.JSON(), nullable=False),
    sa.Column('min_hours', sa.Integer(), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('employed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('first_year BETWEEN 2000 AND 2100', name=op.f('ck_commune_conditions_first_year_range')),
    sa.CheckConstraint('last_year IS NULL OR last_year >= first_year', name=op.f('ck_commune_conditions_year_order')),
    sa.CheckConstraint('min_age IS NULL OR min_age BETWEEN 15 AND 100', name=op.f('ck_commune_conditions_min_age')),
    sa.CheckConstraint('min_hours IS NULL OR min_hours >= 0', name=op.f('ck_commune_conditions_min_hours')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_commune_conditions_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_conditions'))
    )
    op.create_index(op.f('ix_commune_conditions_commune_id'), 'commune_conditions', ['commune_id'], unique=False)

    connection = op.get_bind()
    set_ids = connection.execute(sa.text('SELECT id FROM criteria_sets ORDER BY id')).scalars().all()
    rules = sa.table(
        'criteria_evidence_rules', sa.column('criteria_set_id'), sa.column('area'),
        sa.column('form'), sa.column('indicator_code'), sa.column('suggest_points'),
    )
    rows = [
        {'criteria_set_id': set_id, 'area': area, 'form': form, 'indicator_code': code,
         'suggest_points': None if points is None else points * 10}
        for set_id in set_ids
        for area, form, codes, points in DEFAULT_RULES
        for code in codes
    ]
    if rows:
        op.bulk_insert(rules, rows)


def downgrade():
    op.drop_index(op.f('ix_commune_conditions_commune_id'), table_name='commune_conditions')
    op.drop_table('commune_conditions')
    op.drop_index(op.f('ix_criteria_evidence_rules_criteria_set_id'), table_name='criteria_evidence_rules')
    op.drop_table('criteria_evidence_rules')
