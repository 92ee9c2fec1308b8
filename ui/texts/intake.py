"""Texts of the Import panel and the FHIR / card-set export (issue #16)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "intake.title": {"en": "Import from FHIR, a laboratory export, CSV or a case file",
                     "zh": "从 FHIR、检验科导出表、CSV 或病例文件导入"},
    "intake.help": {"en": "Drop a FHIR R4 Bundle or NDJSON, a wide lab export (xlsx or csv: analytes as rows, dates as "
                          "columns), a lab CSV or a case JSON. You see what will be imported and what is skipped "
                          "before anything changes.",
                    "zh": "拖入 FHIR R4 Bundle 或 NDJSON、宽格式检验导出表(xlsx 或 csv:项目为行、日期为列)、检验 CSV "
                          "或病例 JSON。任何更改之前,先显示将导入的内容和跳过的内容。"},
    "intake.files": {"en": "Files to import", "zh": "要导入的文件"},
    "intake.refused": {"en": "Not imported:", "zh": "未导入:"},
    "intake.summary": {"en": "Will import: {labs} labs, {lines} therapy lines, {transplants} transplants; {skipped} items skipped.",
                       "zh": "将导入:检验 {labs} 条、治疗线 {lines} 条、移植 {transplants} 次;跳过 {skipped} 项。"},
    "intake.patient": {"en": "Patient", "zh": "患者"},
    "intake.skipped": {"en": "Skipped, and why", "zh": "跳过的内容及原因"},
    "intake.incomplete": {"en": "Not a whole case yet (replace is off; labs can still be merged):",
                          "zh": "尚不是完整病例(无法替换;仍可合并检验结果):"},
    "intake.replace": {"en": "Replace the case with this import", "zh": "用导入内容替换当前病例"},
    "intake.merge": {"en": "Merge the {n} labs into the current case", "zh": "将 {n} 条检验结果合并到当前病例"},
    "intake.done_replace": {"en": "Case replaced by the import.", "zh": "已用导入内容替换病例。"},
    "intake.done_merge": {"en": "{n} labs merged.", "zh": "已合并 {n} 条检验结果。"},
    "intake.export": {"en": "Export for other systems", "zh": "导出给其他系统"},
    "intake.export_fhir": {"en": "Case as FHIR R4 Bundle", "zh": "病例(FHIR R4 Bundle)"},
    "intake.export_cards": {"en": "Assessment as CDS Hooks cards", "zh": "评估结果(CDS Hooks 卡片)"},
    "intake.export_invalid": {"en": "The case has problems; fix them to export.", "zh": "病例有问题,修正后才能导出。"},
}
