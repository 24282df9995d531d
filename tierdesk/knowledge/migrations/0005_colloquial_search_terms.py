"""More of the words field engineers type: line speeds, optical ports, "the switch can't drive
the cameras", "the access door won't open", "the temperature is high".

Existing index rows pick them up with `reindex_knowledge`.
"""

from django.db import migrations

from tierdesk.knowledge.migrations._dictionary import add_terms, remove_terms

# canonical term: (kind, synonyms)
TERMS = {
    "万兆": ("product", ["10GE", "10G口"]),
    "千兆": ("product", ["GE口"]),
    "百兆": ("product", []),
    "光口": ("product", []),
    "功率不足": ("fault", ["带不动", "功率不够", "功率预算超限"]),
}
# Variants of terms seeded before, added to their canonical term.
MORE_SYNONYMS = {
    "高温": ["温度高", "温度偏高", "温度很高"],
    "无法开门": ["门禁打不开", "门开不了", "刷卡不开门"],
}


def seed(apps, schema_editor):
    add_terms(apps, TERMS, MORE_SYNONYMS)


def unseed(apps, schema_editor):
    remove_terms(apps, TERMS, MORE_SYNONYMS)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_more_search_terms")]

    operations = [migrations.RunPython(seed, unseed)]
