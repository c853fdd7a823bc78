"""Printing in the window: the PDF preview (page through, zoom, print, save as PDF), the
Print menu, and the actions other screens call (see :mod:`frontdesk.ui.printing.actions`).

ReportLab and the PDF viewer load when the first document is made, not at start-up.
"""
