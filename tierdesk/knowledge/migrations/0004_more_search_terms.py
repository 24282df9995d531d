"""Power & environment, video and network fault terms, and the words engineers type for them.

Kept whole, the terms are found as words and a mistyped character in one can be put right;
the synonyms are colloquial, English or variant spellings of the same thing. Existing index
rows pick them up with `reindex_knowledge`.
"""

from django.db import migrations

from tierdesk.knowledge.migrations._dictionary import add_terms, remove_terms

# canonical term: (kind, synonyms)
TERMS = {
    "动环": ("product", []),
    "整流模块": ("product", ["整流器", "rectifier"]),
    "开关电源": ("product", []),
    "逆变器": ("product", ["inverter"]),
    "精密空调": ("product", []),
    "油机": ("product", ["发电机", "柴油发电机"]),
    "电表": ("product", []),
    "温湿度": ("product", []),
    "传感器": ("product", ["sensor", "探头"]),
    "水浸": ("product", ["漏水"]),
    "烟感": ("product", ["烟雾报警器", "烟雾传感器"]),
    "门禁": ("product", ["门禁系统"]),
    "门磁": ("product", []),
    "红外对射": ("product", []),
    "控制器": ("product", ["controller"]),
    "云台": ("product", ["PTZ"]),
    "球机": ("product", []),
    "拾音器": ("product", []),
    "交换机": ("product", ["switch"]),
    "路由器": ("product", ["路由", "router"]),
    "光模块": ("product", ["SFP"]),
    "硬盘": ("product", []),
    "PoE": ("product", []),
    "5G": ("product", []),
    "ONVIF": ("product", []),
    "国标": ("product", ["GB28181"]),
    "VPN": ("product", []),
    "IPSec": ("product", []),
    "L2TP": ("product", []),
    "DHCP": ("product", []),
    "SNMP": ("product", []),
    "固件": ("fault", ["firmware"]),
    "录像": ("fault", ["录象"]),
    "回放": ("fault", ["playback"]),
    "码流": ("fault", ["码率", "bitrate"]),
    "马赛克": ("fault", ["花屏"]),
    "卡顿": ("fault", ["很卡"]),
    "预览": ("fault", []),
    "通道": ("fault", []),
    "丢包": ("fault", []),
    "环路": ("fault", ["广播风暴"]),
    "无光": ("fault", ["LOS"]),
    "拨号": ("fault", []),
    "拨号失败": ("fault", ["拨不上号", "拨不上"]),
    "故障灯": ("fault", ["故障指示灯", "红灯"]),
    "注册": ("fault", []),
    "证书": ("fault", ["certificate"]),
    "过期": ("fault", ["expired"]),
    "配置": ("fault", ["config"]),
    "超时": ("fault", ["timeout"]),
    "故障": ("fault", ["fault"]),
    "市电": ("fault", []),
    "停电": ("fault", ["断电", "没电"]),
    "旁路": ("fault", []),
    "过压": ("fault", ["过电压", "over voltage"]),
    "电压低": ("fault", ["欠压", "电压偏低"]),
    "高温": ("fault", ["温度过高", "太热", "发烫"]),
    "误报": ("fault", ["误告警", "乱报", "乱响"]),
    "异响": ("fault", ["噪音", "响声", "嗡嗡响"]),
    "通信中断": ("fault", ["通讯中断", "通信失败"]),
    "启动失败": ("fault", ["打不着火", "启动不了"]),
    "无法开门": ("fault", ["打不开门", "开不了门", "门打不开"]),
    "画面发白": ("fault", ["过曝", "一片白"]),
    "没有声音": ("fault", ["没声音", "无声音"]),
    "升级": ("fault", []),
    "Chrome": ("product", ["谷歌浏览器"]),
}
# Variants of terms seeded before, added to their canonical term.
MORE_SYNONYMS = {
    "离线": ["断网"],
    "重启": ["重起"],
    "NVR": ["录像机"],
    "视频丢失": ["video loss"],
}


def seed(apps, schema_editor):
    add_terms(apps, TERMS, MORE_SYNONYMS)


def unseed(apps, schema_editor):
    remove_terms(apps, TERMS, MORE_SYNONYMS)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_seed_search_terms")]

    operations = [migrations.RunPython(seed, unseed)]
