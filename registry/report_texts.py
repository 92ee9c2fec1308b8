"""The cohort report's words, English and Simplified Chinese (registry/report.py)."""

from __future__ import annotations

RESPONSE_ORDER = ("CR", "VGPR", "PR", "MR", "SD", "PD", None)
STATUS_ORDER = ("untreated", "no_relapse", "relapsed", "relapsed_refractory", "primary_refractory")

TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "Cohort report: response and progression per line", "zh": "队列报告:各治疗线的疗效与进展"},
    "other_language": {"en": "简体中文", "zh": "English"},
    "disclaimer": {
        "en": "Registry analysis by the Myeloma Relapse Navigator engine (IMWG response and progression from serial "
              "labs, rule ids per visit in visits.parquet). Decision support and research use, not a prescription.",
        "zh": "由骨髓瘤复发导航引擎对登记数据进行分析(依据系列检验结果判定IMWG疗效与进展,每次随访的规则编号见visits.parquet)。"
              "仅供决策支持与研究使用,不构成处方。"},
    "rules_version": {"en": "Rules version", "zh": "规则版本"},
    "summary": {"en": "Summary", "zh": "概况"},
    "what": {"en": "", "zh": ""},
    "count": {"en": "count", "zh": "数量"},
    "patients_assessed": {"en": "patients assessed", "zh": "已评估患者"},
    "patients_skipped": {"en": "patients skipped (problems in their data)", "zh": "因数据问题跳过的患者"},
    "visits": {"en": "visits (lab dates)", "zh": "随访次数(检验日期)"},
    "progression_visits": {"en": "visits with a progression criterion met", "zh": "满足进展标准的随访"},
    "lines": {"en": "therapy lines", "zh": "治疗线"},
    "status_untreated": {"en": "status now: untreated", "zh": "当前状态:未治疗"},
    "status_no_relapse": {"en": "status now: no relapse", "zh": "当前状态:未复发"},
    "status_relapsed": {"en": "status now: relapsed", "zh": "当前状态:复发"},
    "status_relapsed_refractory": {"en": "status now: relapsed and refractory", "zh": "当前状态:复发难治"},
    "status_primary_refractory": {"en": "status now: primary refractory", "zh": "当前状态:原发难治"},
    "swimmer": {"en": "Lines and responses (swimmer plot)", "zh": "治疗线与疗效(泳道图)"},
    "swimmer_title": {"en": "{n} patients with the longest follow-up", "zh": "随访最长的{n}例患者"},
    "swimmer_note": {"en": "Each bar is a line of therapy, coloured by its best response, until its progression "
                           "(×) or the next line.",
                     "zh": "每段横条为一条治疗线,颜色表示最佳疗效,止于进展(×)或下一线治疗。"},
    "days_since_first": {"en": "days since the first line began", "zh": "自第一线治疗开始的天数"},
    "best_response": {"en": "best response", "zh": "最佳疗效"},
    "unknown": {"en": "unknown", "zh": "未知"},
    "progression": {"en": "progression", "zh": "进展"},
    "line": {"en": "line", "zh": "治疗线"},
    "response_by_line": {"en": "Best response by line", "zh": "各治疗线的最佳疗效"},
    "response_title": {"en": "Best response by line of therapy", "zh": "各治疗线的最佳疗效分布"},
    "lines_count": {"en": "lines", "zh": "治疗线数"},
    "km": {"en": "Time to progression per line (Kaplan–Meier)", "zh": "各治疗线的至进展时间(Kaplan–Meier)"},
    "km_title": {"en": "Free of progression since the line began", "zh": "自该线治疗开始未进展的比例"},
    "km_note": {"en": "A line without progression is censored at the next line or at the last visit.",
                "zh": "未进展的治疗线在下一线开始或末次随访时删失。"},
    "months_from_start": {"en": "months since the line began", "zh": "自该线开始的月数"},
    "free_of_progression": {"en": "free of progression", "zh": "未进展比例"},
    "progressions": {"en": "progressions", "zh": "进展数"},
    "median_ttp": {"en": "median time to progression (months)", "zh": "中位至进展时间(月)"},
    "not_reached": {"en": "not reached", "zh": "未达到"},
    "skipped": {"en": "Skipped patients", "zh": "跳过的患者"},
    "skipped_note": {"en": "Each listed patient was left out of every table and figure; the whole list is in "
                           "problems.parquet and problems.txt.",
                     "zh": "以下患者未纳入任何表格与图;完整列表见problems.parquet与problems.txt。"},
    "patient": {"en": "patient", "zh": "患者"},
    "problems": {"en": "problems", "zh": "问题"},
    "none": {"en": "none", "zh": "无"},
}
