"""Practitioner only: pulse at the three positions of each wrist, tongue, palpation, the TCM
pattern, the treatment principle and the planned course."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from frontdesk.ui.intake.section_base import IntakeSection


class FindingsSection(IntakeSection):
    key = "findings"
    title_text = "Practitioner findings"
    paths = ("findings",)

    def build(self) -> None:
        b = self.binder
        self.note("Only practitioners see this part; it is never printed on patient copies.")
        holder = QWidget()
        holder.setAccessibleName("Pulse")
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.addWidget(QLabel("<b>Pulse</b>"), 0, 0)
        for col, position in enumerate(("cun", "guan", "chi"), start=1):
            heading = QLabel(position)
            heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(heading, 0, col)
        self.pulse_edits = {}
        for row, side in enumerate(("left", "right"), start=1):
            grid.addWidget(QLabel(f"{side.capitalize()} wrist"), row, 0)
            for col, position in enumerate(("cun", "guan", "chi"), start=1):
                edit = b.text(f"findings.pulse.{side}_{position}")
                grid.addWidget(edit, row, col)
                self.pulse_edits[f"{side}_{position}"] = edit
        self.body.addWidget(holder)

        form = self.form()
        self.pulse_overall = b.text("findings.pulse.overall")
        self.row(form, self.pulse_overall, "Pulse overall")
        self.tongue_colour = b.text("findings.tongue.body_colour", placeholder="e.g. pale")
        self.row(form, self.tongue_colour, "Tongue body colour")
        self.tongue_coating = b.text("findings.tongue.coating", placeholder="e.g. thin white")
        self.row(form, self.tongue_coating, "Tongue coating")
        self.tongue_shape = b.text("findings.tongue.shape", placeholder="e.g. swollen, tooth marks")
        self.row(form, self.tongue_shape, "Tongue shape")
        self.tongue_notes = b.text("findings.tongue.notes")
        self.row(form, self.tongue_notes, "Tongue notes")
        self.palpation = b.text("findings.palpation", lines=2)
        self.row(form, self.palpation)
        self.pattern = b.text("findings.pattern")
        self.row(form, self.pattern)
        self.principle = b.text("findings.treatment_principle")
        self.row(form, self.principle)

        plan = QWidget()
        line = QHBoxLayout(plan)
        line.setContentsMargins(0, 0, 0, 0)
        self.per_week = b.whole("findings.sessions_per_week", 1, 7, suffix=" a week")
        self.weeks = b.whole("findings.weeks", 1, 52, suffix=" weeks")
        self.total_label = QLabel()
        line.addWidget(self.per_week)
        line.addWidget(QLabel("for"))
        line.addWidget(self.weeks)
        line.addWidget(self.total_label, 1)
        plan.setObjectName("findings.plan")
        self.row(form, plan, "Planned course")
        self.plan_notes = b.text("findings.plan_notes", lines=2)
        self.row(form, self.plan_notes)
        self.per_week.valueChanged.connect(self.refresh)
        self.weeks.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        per_week, weeks = self.per_week.value(), self.weeks.value()
        if per_week >= 1 and weeks >= 1:
            self.total_label.setText(f"= {per_week * weeks} sessions")
        else:
            self.total_label.setText("")
