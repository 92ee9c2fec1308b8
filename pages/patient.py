"""Patient & history: demographics, fitness, disease, comorbidities, lines, transplants, events."""

from __future__ import annotations

import streamlit as st

from mmlogic.case import CYTOGENETIC_VOCABULARY, ISOTYPE_EXAMPLES
from ui import state, tables, vocabulary_lookup
from ui.forms import bound, field_value
from ui.history import EVENT_COLUMNS, LINE_COLUMNS, TRANSPLANT_COLUMNS, column_config, kb_ids, shown, store
from ui.widgets import stale_banner

t = state.translator()

for section, prefix, columns in (("therapy_lines", "patient_lines", LINE_COLUMNS),
                                 ("transplants", "patient_tx", TRANSPLANT_COLUMNS),
                                 ("events", "patient_events", EVENT_COLUMNS)):
    tables.sync(section=section, prefix=prefix, shown=shown, store=store(columns), columns=columns)
evaluation = state.evaluate()
assessment = evaluation.assessment

st.title(t("patient.title"))
stale_banner(evaluation, compact=True)
bound(st.text_input, t("patient.case_label"), ("label",), "patient_label", default="",
      to_case=lambda v: v or None)

st.subheader(t("patient.demographics"))
c1, c2, c3, c4 = st.columns(4)
with c1:
    bound(st.number_input, t("patient.age"), ("patient", "age"), "patient_age", min_value=18, max_value=120, step=1)
with c2:
    bound(st.selectbox, t("patient.sex"), ("patient", "sex"), "patient_sex", options=("female", "male"),
          format_func=state.labels("sex."))
with c3:
    bound(st.number_input, t("patient.weight"), ("patient", "weight_kg"), "patient_weight", min_value=1.0,
          max_value=400.0, step=0.5, format="%.1f", to_widget=lambda v: float(v) if v is not None else None)
with c4:
    bound(st.selectbox, t("patient.ecog"), ("patient", "ecog"), "patient_ecog", options=(0, 1, 2, 3, 4))

fit_default = t("fit.default_unknown")
if assessment is not None and assessment.goal.fit_source == "default":
    fit_default = t("fit.default", value=t("assess.yes") if assessment.goal.fit else t("assess.no"))
FIT = {"default": None, "yes": True, "no": False}
c1, c2 = st.columns([3, 1])
with c1:
    bound(st.radio, t("patient.fit"), ("patient", "fit_for_intensive_therapy"), "patient_fit",
          options=("default", "yes", "no"), horizontal=True, help=t("fit.help"),
          format_func=state.labels("fit.", default=fit_default),
          to_widget=lambda v: {None: "default", True: "yes", False: "no"}.get(v, "default"),
          to_case=lambda o: FIT[o])
with c2:
    bound(st.checkbox, t("patient.steroid_intolerant"), ("patient", "steroid_intolerant"), "patient_steroid",
          default=False)
# ASSUME-HARVEST (catalog 1.1): with no stem cells stored, melphalan regimens rank down while a
# first autologous transplant is an option; "not known" counts as not stored.
STEM_CELLS = {"unknown": None, "yes": True, "no": False}
bound(st.radio, t("patient.stem_cells"), ("patient", "stem_cells_stored"), "patient_stem_cells",
      options=("unknown", "yes", "no"), horizontal=True, help=t("stemcells.help"),
      format_func=state.labels("stemcells."),
      to_widget=lambda v: {None: "unknown", True: "yes", False: "no"}.get(v, "unknown"),
      to_case=lambda o: STEM_CELLS[o])

st.subheader(t("patient.disease"))
c1, c2 = st.columns([1, 2])
with c1:
    bound(st.text_input, t("patient.isotype"), ("disease", "isotype"), "patient_isotype", default="",
          help=t("patient.isotype_help", examples=ISOTYPE_EXAMPLES), to_case=lambda v: v.strip() or None)
    bound(st.checkbox, t("patient.cyto_tested"), ("disease", "cytogenetics", "tested"), "patient_cyto_tested",
          default=False)
with c2:
    findings = list(field_value(("disease", "cytogenetics", "findings"), []) or [])
    bound(st.multiselect, t("patient.cyto_findings"), ("disease", "cytogenetics", "findings"),
          "patient_cyto_findings", default=[], options=list(dict.fromkeys([*CYTOGENETIC_VOCABULARY, *findings])),
          accept_new_options=True, placeholder=t("layout.choose_options"))
c1, c2, c3 = st.columns(3)
for col, name, key in ((c1, "extensive_bone_disease", "ebd"), (c2, "plasma_cell_leukemia", "pcl"),
                       (c3, "extramedullary_plasmacytoma", "emp")):
    with col:
        bound(st.checkbox, t(f"patient.{key}"), ("disease", name), f"patient_{key}", default=False)

st.subheader(t("patient.comorbidities"))
c1, c2, c3 = st.columns(3)
with c1:
    bound(st.selectbox, t("patient.neuropathy"), ("comorbidities", "peripheral_neuropathy_grade"),
          "patient_neuropathy", default=0, options=(0, 1, 2, 3, 4))
    RENAL = {"default": None, "yes": True, "no": False}
    bound(st.radio, t("patient.renal"), ("comorbidities", "renal_impairment"), "patient_renal",
          options=("default", "yes", "no"), horizontal=True, format_func=state.labels("renal."),
          to_widget=lambda v: {None: "default", True: "yes", False: "no"}.get(v, "default"),
          to_case=lambda o: RENAL[o])
with c2:
    for name, key in (("recent_thrombosis", "recent_thrombosis"), ("hypercoagulable", "hypercoagulable"),
                      ("on_anticoagulation", "anticoagulation")):
        bound(st.checkbox, t(f"patient.{key}"), ("comorbidities", name), f"patient_{key}", default=False)
with c3:
    for name, key in (("hepatic_impairment", "hepatic"), ("on_dialysis", "dialysis")):
        bound(st.checkbox, t(f"patient.{key}"), ("comorbidities", name), f"patient_{key}", default=False)

for section, prefix, columns, title in (("therapy_lines", "patient_lines", LINE_COLUMNS, "patient.lines"),
                                        ("transplants", "patient_tx", TRANSPLANT_COLUMNS, "patient.transplants"),
                                        ("events", "patient_events", EVENT_COLUMNS, "patient.events")):
    st.subheader(t(title))
    if section == "therapy_lines":
        st.caption(t("patient.lines_help", ids=", ".join(kb_ids()) or "—"))
        vocabulary_lookup.lookup(state.lang())  # issue 15: type-ahead over the shared vocabulary
    tables.grid(section=section, prefix=prefix, columns=columns, column_config=column_config(columns),
                shown=shown, store=store(columns), row_problems=evaluation.row_problems(section))
