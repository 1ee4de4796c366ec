"""Document builders: plain data in, PDF or DOCX bytes out (no Flask, no database).

- ``layout.build_pdf`` and ``docx_layout.build_docx`` render an ``AdminDocument`` (decisions,
  reports, plans with attached lists) in the Decree 30/2020/NĐ-CP layout;
- ``certificate`` draws the "Công dân học tập" certificates, one page each, in batches;
- ``vn_format`` formats dates, money and money in words; ``fonts`` registers the fonts.
"""
