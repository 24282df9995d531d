"""A starting dictionary of product and fault terms and the synonyms field engineers type.

Kept as data: the admin edits it afterwards.
"""

from django.db import migrations

from tierdesk.knowledge.migrations._dictionary import add_terms, remove_terms

# canonical term: (kind, synonyms)
TERMS = {
    "FSU": ("product", []),
    "NVR": ("product", ["硬盘录像机"]),
    "IPC": ("product", ["摄像头", "摄像机", "网络摄像机"]),
    "DVR": ("product", []),
    "4G": ("product", []),
    "动环监控": ("product", ["动力环境监控"]),
    "蓄电池": ("product", ["电池组"]),
    "UPS": ("product", ["不间断电源"]),
    "离线": ("fault", ["掉线", "脱网", "断线"]),
    "告警": ("fault", ["报警"]),
    "蓄电池电压": ("fault", []),
    "视频丢失": ("fault", ["无视频", "黑屏"]),
    "重启": ("fault", ["重新启动"]),
    "无法登录": ("fault", ["登录失败", "登不上"]),
}


def seed(apps, schema_editor):
    add_terms(apps, TERMS, {})


def unseed(apps, schema_editor):
    remove_terms(apps, TERMS, {})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index_tables")]

    operations = [migrations.RunPython(seed, unseed)]
