"""Texts of the bedside layout (issue #14 items 4-6): pinned summary, accessible labels, report footer."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "layout.choose_options": {"en": "Choose or add options", "zh": "选择或添加选项"},
    "layout.pinned": {"en": "Summary", "zh": "摘要"},
    "layout.pinned_top": {"en": "Top: {regimen} ({pack})", "zh": "首选:{regimen}({pack})"},
    "layout.pinned_none": {"en": "No regimen suggested", "zh": "无建议方案"},
    "layout.open_sidebar": {"en": "Open the menu: pages, case and settings", "zh": "打开菜单:页面、病例与设置"},
    "layout.close_sidebar": {"en": "Close the menu", "zh": "关闭菜单"},
    "report.page_of": {"en": "Page {page} of {pages}", "zh": "第 {page} 页,共 {pages} 页"},
    "report.printed": {"en": "Printed {date}", "zh": "打印日期 {date}"},
    "report.footer": {"en": "Rules {version} · pack {pack}", "zh": "规则 {version} · 知识包 {pack}"},
}
