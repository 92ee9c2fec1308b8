"""Texts of data entry (issue #14): the one-row-per-visit lab grid, a new blank patient, guidance
until the minimum data exist, and the out-of-date mark of the report."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- the lab grid views
    "entry.view": {"en": "Lab grid", "zh": "化验表格"},
    "entry.view_visits": {"en": "One row per visit", "zh": "每次就诊一行"},
    "entry.view_values": {"en": "One row per value", "zh": "每个数值一行"},
    "entry.visits_help": {
        "en": "One row per date, a column per test, in the units of the header. Tab moves across, Enter "
              "down; paste a block copied from a spreadsheet. An empty cell means not measured.",
        "zh": "每个日期一行,每项检测一列,单位见表头。Tab 向右移动,Enter 向下;可粘贴从电子表格复制的整块数据。"
              "空白单元格表示未检测。",
    },
    "entry.others": {
        "en": "{n} value(s) fit no column here (unknown test, unit or date): edit them in “One row per value”.",
        "zh": "{n} 个数值无法放入本表的列(检测项目、单位或日期不明):请在“每个数值一行”中编辑。",
    },
    "entry.visit_problem": {"en": "{date} · {analyte}: {message}", "zh": "{date} · {analyte}:{message}"},
    "entry.dates_read": {
        "en": "Dates read as: {pairs} (stored as YYYY-MM-DD).",
        "zh": "日期解读为:{pairs}(按 YYYY-MM-DD 保存)。",
    },
    "entry.related": {"en": "Myeloma-related", "zh": "与骨髓瘤相关"},
    # short column headers of the visit grid (the unit is added from the session's unit system)
    "visit.serum_m_protein": {"en": "Serum M", "zh": "血清 M 蛋白"},
    "visit.urine_m_protein": {"en": "Urine M", "zh": "尿 M 蛋白"},
    "visit.flc_kappa": {"en": "κ FLC", "zh": "κ 轻链"},
    "visit.flc_lambda": {"en": "λ FLC", "zh": "λ 轻链"},
    "visit.serum_ife": {"en": "Serum IFE", "zh": "血清免疫固定"},
    "visit.urine_ife": {"en": "Urine IFE", "zh": "尿免疫固定"},
    "visit.calcium": {"en": "Calcium", "zh": "血钙"},
    "visit.hemoglobin": {"en": "Hb", "zh": "血红蛋白"},
    "visit.creatinine": {"en": "Creatinine", "zh": "肌酐"},
    "visit.beta2_microglobulin": {"en": "β2M", "zh": "β2 微球蛋白"},
    "visit.albumin": {"en": "Albumin", "zh": "白蛋白"},
    "visit.marrow_plasma_cells": {"en": "Marrow PC", "zh": "骨髓浆细胞"},
    "visit.ife_help": {"en": "positive or negative", "zh": "positive(阳性)或 negative(阴性)"},
    # -- a new patient
    "entry.new_patient": {"en": "New patient", "zh": "新患者"},
    "entry.new_patient_help": {
        "en": "Start a blank case: nothing of the current case is kept or shown.",
        "zh": "开始一个空白病例:不保留也不显示当前病例的任何内容。",
    },
    "entry.new_confirm": {
        "en": "The current case has unsaved changes. Start a blank patient anyway? (Download or save it first to keep it.)",
        "zh": "当前病例有未保存的修改。仍要开始新患者吗?(如需保留,请先下载或保存。)",
    },
    "entry.new_yes": {"en": "Discard and start blank", "zh": "放弃并新建"},
    "entry.new_no": {"en": "Cancel", "zh": "取消"},
    "entry.new_started": {"en": "New blank patient.", "zh": "已新建空白患者。"},
    # -- guidance until the minimum data exist
    "guide.title": {"en": "No assessment yet", "zh": "尚无评估"},
    "guide.body": {
        "en": "Add a therapy line and two dated values to see an assessment.",
        "zh": "请添加一条治疗线和两个带日期的数值,即可看到评估。",
    },
    "guide.missing": {"en": "Not yet entered: {fields}.", "zh": "尚未录入:{fields}。"},
    "guide.field.patient.age": {"en": "age", "zh": "年龄"},
    "guide.field.patient.sex": {"en": "sex", "zh": "性别"},
    "guide.field.patient.ecog": {"en": "ECOG", "zh": "ECOG"},
    "guide.field.therapy_line": {"en": "a therapy line", "zh": "治疗线"},
    "guide.field.values": {"en": "two dated values", "zh": "两个带日期的数值"},
    # -- the report of an out-of-date assessment
    "report.out_of_date": {
        "en": "OUT OF DATE: this report shows the last valid assessment; the case has since changed and has "
              "problems to fix. Do not use it for a decision.",
        "zh": "已过期:本报告显示的是上次有效的评估;病例此后已修改且有待修正的问题。请勿据此决策。",
    },
}
