"""Reports: a province's report keeps its prose too (report_texts.province_id).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:00:00

A text belongs to a commune or to a province, never both (ck_report_texts_one_unit); each unit
has one text per section.  Existing rows are all of communes, so the upgrade loses nothing; the
downgrade drops the provinces' texts, which the older schema cannot hold.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.alter_column('commune_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_report_texts_province_id_provinces'),
                                    'provinces', ['province_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_report_texts_province_id_key'),
                                          ['province_id', 'key'])
        batch_op.create_check_constraint(
            batch_op.f('ck_report_texts_one_unit'),
            '(commune_id IS NULL) <> (province_id IS NULL)')


def downgrade():
    op.execute("DELETE FROM report_texts WHERE province_id IS NOT NULL")
    with op.batch_alter_table('report_texts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_report_texts_one_unit'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_report_texts_province_id_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_report_texts_province_id_provinces'),
                                 type_='foreignkey')
        batch_op.alter_column('commune_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('province_id')
