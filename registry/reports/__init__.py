"""The activity log a commune reports on (communication, events, directives, spending) and the
periodic report (báo cáo) built from it."""
