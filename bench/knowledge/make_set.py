"""Writes the labelled search set: articles.jsonl and queries.jsonl next to this file.

Each fault topic is written once with a placeholder for the one detail its near-duplicates
differ in (NVR or DVR, firmware V2.1 or V2.3, 4G or 5G, ...), and for each maker whose
equipment has it, so the set holds families of articles that differ in one detail. A query
that names the detail accepts only the articles with that detail; one that does not accepts
the whole family. Unanswerable queries accept nothing.

    .venv/bin/python bench/knowledge/make_set.py
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAKERS = {
    "power": ["华为", "中兴", "艾默生", "科华", "动力源"],
    "video": ["海康", "大华", "宇视", "天地伟业", "华为"],
    "network": ["华为", "华三", "锐捷", "中兴", "TP-LINK"],
}
PRODUCTS = {  # product code: (name, family)
    "fsu": ("FSU-3000 动环监控单元", "power"),
    "ups": ("UPS 不间断电源", "power"),
    "rectifier": ("高频开关电源", "power"),
    "aircon": ("机房精密空调", "power"),
    "access": ("门禁控制器", "power"),
    "nvr": ("网络硬盘录像机", "video"),
    "ipc": ("网络摄像机", "video"),
    "platform": ("视频监控平台", "video"),
    "switch": ("接入交换机", "network"),
    "router": ("4G/5G 工业路由器", "network"),
}
# key, category, product, dimension, variants, title, symptom, cause, solution, queries
# Queries: (kind, text, index of the variant it names or None for any).
TOPICS = [
    (
        "fsu_offline",
        "network",
        "fsu",
        "接入方式",
        ["4G", "有线"],
        "FSU 通过{v}接入频繁离线",
        "FSU 采用{v}方式上联，动环监控平台每天多次显示 FSU 离线，产生离线告警，几分钟后自动恢复。",
        "{v}链路不稳定，心跳超时 120 秒后平台判定离线。",
        "检查{v}链路质量；4G 接入时更换高增益天线并确认 SIM 卡流量；有线接入时检查网线与交换机端口，将心跳超时调整为 300 秒。",
        [
            ("short", "FSU离线", None),
            ("synonym", "FSU 老是掉线", None),
            ("detail", "FSU 4G 掉线", 0),
            ("detail", "FSU 有线接入离线", 1),
            (
                "long",
                "站点的动环监控单元每天都会离线好几次，过一会又自己恢复了，平台一直报离线告警",
                None,
            ),
        ],
    ),
    (
        "battery_low",
        "power",
        "fsu",
        "电池组电压",
        ["48V", "12V"],
        "蓄电池组 {v} 电压低告警",
        "动环监控显示 {v} 蓄电池组电压持续偏低，平台产生蓄电池电压低告警，市电正常。",
        "电池老化内阻增大，或整流模块均充参数设置错误导致长期欠充。",
        "测量单体电压与内阻，更换落后电池；核对整流模块浮充、均充电压设置，{v}系统按厂家要求整定。",
        [
            ("short", "蓄电池电压低", None),
            ("homophone", "蓄电驰电压低", None),
            ("detail", "12V电池电压低报警", 1),
            ("detail", "48V 蓄电池组电压低", 0),
            ("synonym", "电池组欠压报警怎么处理", None),
        ],
    ),
    (
        "battery_temp",
        "power",
        "fsu",
        "安装位置",
        ["机房", "户外机柜"],
        "{v}蓄电池温度过高告警",
        "{v}内蓄电池温度传感器读数超过 35℃，平台产生电池高温告警，电池外壳发烫。",
        "{v}散热不良或空调故障，电池长期高温运行会鼓包。",
        "检查空调与风扇运行，清理进风口；{v}温度持续偏高时加装散热或遮阳，检查电池是否鼓包。",
        [
            ("short", "电池高温", None),
            ("detail", "户外机柜电池温度高", 1),
            ("long", "机房里面的电池摸着很烫，平台上一直有电池温度过高的告警", 0),
        ],
    ),
    (
        "ups_bypass",
        "power",
        "ups",
        "容量",
        ["10kVA", "20kVA"],
        "UPS（{v}）频繁切换旁路",
        "{v} UPS 运行中频繁转旁路供电，面板提示逆变器故障代码 E-203，告警后自动恢复逆变。",
        "负载突变超过过载阈值，或逆变器散热风扇故障导致过温保护。",
        "核对负载率不超过 80%；清洁并更换故障风扇；升级 UPS 固件后复位告警 E-203。",
        [
            ("code", "UPS E-203", None),
            ("short", "UPS转旁路", None),
            ("synonym", "不间断电源老是切旁路", None),
            ("detail", "20kVA UPS 切旁路 E-203", 1),
        ],
    ),
    (
        "ups_battery_test",
        "power",
        "ups",
        "容量",
        ["10kVA", "20kVA"],
        "UPS（{v}）电池自检失败",
        "{v} UPS 定期电池自检失败，面板显示 E-117 电池异常，后备时间明显缩短。",
        "电池组容量衰减或电池开关未合上。",
        "确认电池开关闭合，测量电池组电压；容量不足时整组更换并重新自检清除 E-117。",
        [
            ("code", "E-117 电池异常", None),
            ("short", "UPS电池自检失败", None),
            ("colloquial", "ups 自检老是过不去 后备时间很短", None),
        ],
    ),
    (
        "rectifier_fault",
        "power",
        "rectifier",
        "模块型号",
        ["R48-3000", "R48-2900"],
        "整流模块 {v} 故障灯亮",
        "高频开关电源中整流模块 {v} 故障指示灯红色常亮，无输出，监控显示整流模块故障告警。",
        "模块内部风扇堵转或输入过压保护。",
        "断开模块输入，检查风扇；交流输入正常后热插拔更换 {v} 模块，确认均流。",
        [
            ("short", "整流模块故障", None),
            ("detail", "R48-2900 模块红灯", 1),
            ("homophone", "整留模块故障灯亮", None),
            ("mixed", "rectifier 模块 fault 红灯", None),
        ],
    ),
    (
        "mains_off",
        "power",
        "rectifier",
        "供电",
        ["三相", "单相"],
        "{v}市电停电告警误报",
        "市电正常，但动环监控平台频繁上报{v}交流输入停电告警，现场电压测量正常。",
        "交流采集板接线松动或采样互感器故障。",
        "紧固{v}交流采集线，校准采样参数；仍误报时更换采集板。",
        [
            ("short", "市电停电误报", None),
            ("synonym", "没停电却一直报停电", None),
            ("detail", "单相市电停电误告警", 1),
        ],
    ),
    (
        "aircon_high_temp",
        "power",
        "aircon",
        "机型",
        ["精密空调", "普通空调"],
        "{v}运行但机房温度过高",
        "机房{v}显示正常运行，温湿度传感器显示机房温度持续高于 30℃，产生高温告警。",
        "冷凝器脏堵或冷媒不足，制冷量下降。",
        "清洗冷凝器和过滤网，检测冷媒压力并补充；{v}来电自启动功能需开启。",
        [
            ("short", "机房温度高", None),
            ("detail", "普通空调开着机房还是高温", 1),
            ("long", "空调一直开着但是机房温度还是降不下来 平台报高温", None),
        ],
    ),
    (
        "aircon_comm",
        "power",
        "aircon",
        "通信接口",
        ["RS485", "红外遥控"],
        "空调 {v} 通信中断",
        "动环监控无法读取空调状态，平台显示空调通信中断，空调本身运行正常。",
        "{v}接线错误或地址冲突。",
        "检查{v}接口接线与通信地址，RS485 需核对波特率 9600；红外遥控需重新学习遥控码。",
        [
            ("short", "空调通信中断", None),
            ("detail", "空调 RS485 通讯中断", 0),
            ("homophone", "空调通信中段", None),
        ],
    ),
    (
        "humidity",
        "power",
        "fsu",
        "传感器",
        ["温湿度一体传感器", "湿度传感器"],
        "{v}数据不刷新",
        "平台上机房温湿度数值长时间不变化，{v}读数停留在固定值。",
        "传感器总线地址冲突或传感器损坏。",
        "检查{v}总线接线和地址，重新上电；仍不刷新时更换传感器。",
        [
            ("short", "温湿度不刷新", None),
            ("homophone", "温湿渡数据不变", None),
            ("mixed", "温湿度 sensor 数值不变", None),
        ],
    ),
    (
        "water_leak",
        "power",
        "fsu",
        "传感器",
        ["定位式水浸", "点式水浸"],
        "{v}传感器误告警",
        "机房无积水，但{v}传感器持续产生水浸告警，清除后又出现。",
        "感应线缆受潮或被灰尘污染，接线端子氧化。",
        "擦干并清洁{v}感应线，检查端子；告警仍存在时更换传感器。",
        [
            ("short", "水浸告警", None),
            ("synonym", "没漏水一直报水浸", None),
            ("detail", "点式水浸误报警", 1),
            ("homophone", "水进告警误报", None),
        ],
    ),
    (
        "smoke",
        "power",
        "fsu",
        "传感器",
        ["光电烟感", "离子烟感"],
        "{v}频繁误报",
        "机房无烟雾，{v}频繁上报烟雾告警，触发声光报警。",
        "探头积尘或空调出风直吹探头。",
        "清洁{v}探头，调整安装位置避开出风口；必要时更换。",
        [
            ("short", "烟感误报", None),
            ("homophone", "烟敢误报", None),
            ("detail", "光电烟感老是报警", 0),
        ],
    ),
    (
        "door_access",
        "power",
        "access",
        "开门方式",
        ["刷卡", "密码"],
        "门禁控制器{v}无法开门",
        "门禁控制器在线，但{v}开门无反应，平台未收到开门记录。",
        "门禁权限未下发或控制器时钟不同步导致时段权限失效。",
        "在平台重新下发{v}权限，校准控制器时钟；检查电锁供电 12V。",
        [
            ("short", "门禁打不开", None),
            ("homophone", "门进无法开门", None),
            ("detail", "门禁刷卡开不了门", 0),
            ("mixed", "门禁 controller 刷卡无反应", 0),
        ],
    ),
    (
        "door_offline",
        "network",
        "access",
        "接入方式",
        ["TCP/IP", "RS485"],
        "门禁控制器（{v}）离线",
        "门禁控制器通过{v}接入，平台显示门禁离线，现场读卡器指示灯正常。",
        "{v}通信参数错误或 IP 冲突。",
        "核对{v}通信参数，TCP/IP 接入时检查 IP 冲突并固定 IP；RS485 接入时检查终端电阻。",
        [("short", "门禁离线", None), ("synonym", "门禁控制器掉线", None)],
    ),
    (
        "diesel",
        "power",
        "fsu",
        "油机型号",
        ["30kW", "50kW"],
        "油机（{v}）启动失败",
        "市电停电后{v}油机无法自动启动，动环平台产生油机启动失败告警。",
        "启动电池亏电或燃油不足。",
        "检查{v}油机启动电池和油位，定期空载试机。",
        [
            ("short", "油机启动失败", None),
            ("synonym", "发电机打不着火", None),
            ("detail", "50kW 油机启动失败", 1),
        ],
    ),
    (
        "playback_lag",
        "hardware",
        "nvr",
        "设备",
        ["NVR", "DVR"],
        "{v}录像回放卡顿",
        "{v}回放历史录像时画面卡顿、跳帧，实时预览正常。",
        "硬盘读写性能下降或回放码流过高。",
        "检查{v}硬盘 SMART 状态，降低回放码流为子码流，更换坏道硬盘。",
        [
            ("short", "录像回放卡顿", None),
            ("detail", "DVR 回放卡", 1),
            ("detail", "NVR 回放录像卡顿跳帧", 0),
            ("homophone", "录象回放卡顿", None),
            ("mixed", "NVR playback 卡顿", 0),
        ],
    ),
    (
        "disk_error",
        "hardware",
        "nvr",
        "设备",
        ["NVR", "DVR"],
        "{v}硬盘异常无法录像",
        "{v}提示硬盘异常，录像中断，硬盘状态显示“错误”，告警代码 0x80070005。",
        "硬盘损坏或硬盘未初始化。",
        "在{v}存储管理中格式化硬盘；仍报 0x80070005 时更换监控级硬盘。",
        [
            ("code", "0x80070005", None),
            ("short", "硬盘异常", None),
            ("detail", "DVR 硬盘错误 不录像", 1),
            ("synonym", "硬盘录像机硬盘坏了", 0),
        ],
    ),
    (
        "video_loss",
        "hardware",
        "ipc",
        "接入协议",
        ["ONVIF", "国标GB28181"],
        "IPC 通过{v}接入后视频丢失",
        "IPC 以{v}接入平台后，预览画面黑屏，提示视频丢失，设备显示在线。",
        "{v}通道或码流参数不匹配，或编码格式 H.265 平台不支持。",
        "核对{v}通道编号与码流参数，将编码改为 H.264 后重新接入。",
        [
            ("short", "视频丢失", None),
            ("synonym", "摄像头黑屏", None),
            ("detail", "国标GB28181 接入 IPC 黑屏", 1),
            ("detail", "ONVIF 接入摄像机无视频", 0),
            ("mixed", "IPC video loss ONVIF", 0),
        ],
    ),
    (
        "ipc_offline",
        "network",
        "ipc",
        "供电方式",
        ["PoE", "12V 适配器"],
        "{v}供电的 IPC 频繁离线",
        "{v}供电的 IPC 在平台上反复离线、上线，夜间更频繁。",
        "{v}供电功率不足，夜间红外开启后功耗增大导致重启。",
        "检查{v}供电功率，PoE 交换机需支持 802.3at；更换适配器或缩短网线。",
        [
            ("short", "IPC离线", None),
            ("synonym", "摄像头晚上老掉线", None),
            ("detail", "PoE 摄像头反复掉线", 0),
            ("detail", "12V 适配器 IPC 离线", 1),
        ],
    ),
    (
        "ptz",
        "hardware",
        "ipc",
        "控制协议",
        ["Pelco-D", "ONVIF"],
        "云台（{v}）无法控制",
        "平台上点击云台方向键无反应，{v}控制的球机画面正常。",
        "{v}协议地址或波特率不一致。",
        "核对球机{v}地址与波特率；ONVIF 控制需开启设备 PTZ 服务。",
        [
            ("short", "云台不能控制", None),
            ("homophone", "云抬控制不了", None),
            ("detail", "Pelco-D 云台不动", 0),
            ("colloquial", "球机转不动 方向键没反应", None),
        ],
    ),
    (
        "ipc_night",
        "hardware",
        "ipc",
        "补光",
        ["红外", "白光"],
        "摄像机夜间{v}画面发白",
        "IPC 夜间开启{v}补光后画面发白、过曝。",
        "补光过强或近处有反光物体。",
        "降低{v}补光功率，调整智能补光；清洁镜头与防护罩。",
        [
            ("short", "夜间画面发白", None),
            ("detail", "红外夜视画面过曝", 0),
            ("synonym", "摄像头晚上画面一片白", None),
        ],
    ),
    (
        "stream",
        "hardware",
        "platform",
        "码流",
        ["主码流", "子码流"],
        "平台预览{v}卡顿马赛克",
        "视频监控平台预览{v}时画面卡顿、出现马赛克，带宽占用很高。",
        "上行带宽不足或{v}码率设置过高。",
        "降低{v}码率和帧率，启用 H.265；检查上行带宽。",
        [
            ("short", "预览马赛克", None),
            ("homophone", "码刘卡顿马赛克", None),
            ("detail", "子码流预览卡顿", 1),
            ("mixed", "主码流 bitrate 太高 卡顿", 0),
        ],
    ),
    (
        "gb28181_register",
        "hardware",
        "platform",
        "平台版本",
        ["V2.1", "V2.3"],
        "国标GB28181 设备注册失败（平台 {v}）",
        "下级设备按国标GB28181 注册到平台 {v} 时注册失败，设备日志返回 401。",
        "SIP 服务器编号或密码不一致，平台 {v} 默认开启鉴权。",
        "核对 SIP 服务器 ID、域和密码；平台 {v} 需在接入配置中添加设备编码。",
        [
            ("short", "国标注册失败", None),
            ("code", "GB28181 注册 401", None),
            ("detail", "平台V2.3 国标注册失败", 1),
            ("detail", "V2.1 平台 GB28181 注册不上", 0),
        ],
    ),
    (
        "onvif_search",
        "hardware",
        "nvr",
        "设备",
        ["NVR", "DVR"],
        "{v}无法通过 ONVIF 搜索到 IPC",
        "{v}添加通道时 ONVIF 搜索不到同网段 IPC。",
        "IPC 未开启 ONVIF 或组播被交换机过滤。",
        "在 IPC 开启 ONVIF 并设置用户；{v}手动输入 IP 添加。",
        [
            ("short", "ONVIF搜索不到", None),
            ("detail", "DVR onvif 搜不到摄像机", 1),
            ("mixed", "NVR ONVIF discovery 失败", 0),
        ],
    ),
    (
        "login_fail",
        "software",
        "nvr",
        "设备",
        ["NVR", "IPC"],
        "{v}网页无法登录",
        "浏览器访问{v}网页提示用户名或密码错误，账户被锁定 30 分钟。",
        "多次输错密码触发锁定，或插件版本不兼容。",
        "等待解锁或通过 SADP 重置{v}密码；更换浏览器并安装最新插件。",
        [
            ("short", "无法登录", None),
            ("synonym", "录像机网页登不上", 0),
            ("detail", "IPC 网页登录失败 账户锁定", 1),
        ],
    ),
    (
        "firmware_upgrade",
        "software",
        "nvr",
        "固件",
        ["V2.1", "V2.3"],
        "{v} 固件升级后 NVR 反复重启",
        "NVR 升级到 {v} 固件后反复重启，无法进入系统。",
        "升级包与硬件版本不匹配，{v} 固件校验失败。",
        "通过 TFTP 回刷 {v} 对应的正确升级包，升级前核对硬件版本。",
        [
            ("short", "升级后重启", None),
            ("detail", "V2.3 固件升级 NVR 重启", 1),
            ("detail", "固件V2.1 升级后一直重启", 0),
            ("homophone", "固建升级后反复重起", None),
        ],
    ),
    (
        "time_sync",
        "configuration",
        "platform",
        "同步方式",
        ["NTP", "国标校时"],
        "设备时间不同步（{v}）",
        "录像时间与平台时间相差数分钟，{v}校时后仍然漂移。",
        "{v}服务器不可达或时区设置错误。",
        "检查{v}服务器地址和时区，设置自动校时间隔 60 分钟。",
        [
            ("short", "时间不同步", None),
            ("detail", "NTP 校时不准", 0),
            ("synonym", "录像时间对不上", None),
        ],
    ),
    (
        "alarm_linkage",
        "configuration",
        "platform",
        "联动",
        ["录像联动", "抓图联动"],
        "移动侦测告警{v}不生效",
        "移动侦测告警正常上报，但{v}未执行。",
        "布防时间未配置或{v}通道未勾选。",
        "在平台配置布防时间并勾选{v}通道。",
        [
            ("short", "联动不生效", None),
            ("detail", "移动侦测报警不抓图", 1),
            ("synonym", "移动侦测报警没有联动录像", 0),
        ],
    ),
    (
        "switch_loop",
        "network",
        "switch",
        "交换机类型",
        ["接入交换机", "汇聚交换机"],
        "{v}环路导致全网卡顿",
        "站点网络突然全部卡顿，{v}端口指示灯狂闪，CPU 占用 100%。",
        "现场接线形成二层环路，广播风暴。",
        "在{v}上开启 STP 和环路检测，拔掉多余网线。",
        [
            ("short", "网络环路", None),
            ("synonym", "交换机广播风暴 网络很卡", None),
            ("detail", "汇聚交换机环路", 1),
            ("homophone", "交换机还路", None),
        ],
    ),
    (
        "optical",
        "network",
        "switch",
        "光模块",
        ["千兆光模块", "万兆光模块"],
        "{v}无光告警",
        "交换机{v}端口 LINK 灯不亮，显示无光，光功率 -40dBm。",
        "光纤断裂、尾纤接反或{v}损坏。",
        "用光功率计测量收发光，交换收发尾纤，更换{v}。",
        [
            ("short", "光模块无光", None),
            ("detail", "万兆光模块不亮", 1),
            ("homophone", "光膜块无光", None),
            ("mixed", "SFP 光模块 LOS 无光", None),
        ],
    ),
    (
        "packet_loss",
        "network",
        "switch",
        "链路",
        ["上行链路", "光纤链路"],
        "{v}丢包严重",
        "ping 测试{v}丢包率 20% 以上，视频与监控数据断续。",
        "端口双工不匹配或 CRC 错误增多。",
        "检查端口双工与速率协商，查看 CRC 错误计数，更换网线或光纤跳线。",
        [
            ("short", "丢包严重", None),
            ("mixed", "ping 丢包 CRC error", None),
            ("colloquial", "网络老是断断续续的 ping 一直丢包", None),
        ],
    ),
    (
        "router_dial",
        "network",
        "router",
        "网络制式",
        ["4G", "5G"],
        "{v}路由器拨号失败",
        "{v}工业路由器无法拨号上网，状态显示 PDP 激活失败，错误码 33。",
        "APN 配置错误或 SIM 卡欠费停机。",
        "核对运营商 APN，确认 SIM 卡状态；{v}模块需设置正确的网络制式。",
        [
            ("short", "拨号失败", None),
            ("detail", "5G 路由拨号失败", 1),
            ("detail", "4G 路由器拨不上号", 0),
            ("code", "PDP 激活失败 错误码 33", None),
        ],
    ),
    (
        "router_signal",
        "network",
        "router",
        "网络制式",
        ["4G", "5G"],
        "{v}路由器信号弱频繁断网",
        "{v}路由器信号强度 RSRP 低于 -110dBm，业务频繁中断。",
        "站点位于弱覆盖区域，天线位置不佳。",
        "外接高增益天线并调整位置；{v}信号仍差时申请切换运营商。",
        [
            ("short", "信号弱断网", None),
            ("detail", "4G信号差经常断网", 0),
            ("mixed", "5G router RSRP 太低", 1),
        ],
    ),
    (
        "vpn",
        "network",
        "router",
        "VPN 类型",
        ["IPSec", "L2TP"],
        "{v} VPN 隧道建立失败",
        "路由器与中心的 {v} VPN 无法建立，日志显示协商失败。",
        "预共享密钥不一致或运营商封堵端口。",
        "核对 {v} 预共享密钥、加密算法和对端地址，开启 NAT 穿越。",
        [
            ("short", "VPN连不上", None),
            ("detail", "IPSec 协商失败", 0),
            ("detail", "L2TP VPN 建不起来", 1),
        ],
    ),
    (
        "ip_conflict",
        "network",
        "switch",
        "设备",
        ["IPC", "FSU"],
        "{v} IP 地址冲突",
        "{v}时通时断，交换机日志提示 IP 地址冲突。",
        "现场多台设备使用相同静态 IP。",
        "用 ARP 表定位冲突设备，重新规划{v}地址。",
        [("short", "IP冲突", None), ("detail", "摄像机 IP 冲突 时通时断", 0)],
    ),
    (
        "dhcp",
        "network",
        "router",
        "设备",
        ["路由器", "交换机"],
        "{v} DHCP 获取不到地址",
        "终端接入{v}后获取不到 IP 地址，显示 169.254 地址。",
        "DHCP 地址池耗尽或中继配置错误。",
        "扩大{v}地址池，缩短租期，检查 DHCP 中继。",
        [("short", "获取不到IP", None), ("mixed", "DHCP 169.254 地址", None)],
    ),
    (
        "snmp",
        "integration",
        "platform",
        "协议版本",
        ["SNMPv2c", "SNMPv3"],
        "{v} 采集不到设备数据",
        "网管平台通过 {v} 采集交换机数据超时。",
        "团体名或用户认证参数不一致，ACL 未放行。",
        "核对 {v} 认证参数，放行 UDP 161 端口。",
        [("short", "SNMP采集超时", None), ("detail", "SNMPv3 认证失败", 1)],
    ),
    (
        "platform_cert",
        "software",
        "platform",
        "浏览器",
        ["Chrome", "IE"],
        "平台证书过期 {v} 无法访问",
        "{v}访问视频监控平台提示证书不安全，无法打开。",
        "平台 HTTPS 证书过期。",
        "更新平台证书并重启 Web 服务。",
        [("short", "证书过期", None), ("mixed", "platform certificate expired 无法访问", None)],
    ),
    (
        "disk_full",
        "software",
        "platform",
        "存储",
        ["存储服务器", "NAS"],
        "{v}磁盘满录像覆盖",
        "{v}磁盘使用率 100%，录像提前覆盖，保存天数不足 30 天。",
        "录像计划码流过高或磁盘配额设置错误。",
        "调整{v}配额，降低码流或扩容。",
        [("short", "磁盘满", None), ("synonym", "录像存不够30天", None)],
    ),
    (
        "lightning",
        "hardware",
        "ipc",
        "设备",
        ["IPC", "交换机"],
        "雷击后{v}损坏",
        "雷雨天气后{v}不通电或网口损坏。",
        "防雷接地不良。",
        "更换损坏的{v}，加装信号防雷器并检查接地电阻小于 4 欧。",
        [("short", "雷击损坏", None), ("synonym", "打雷后摄像机坏了", 0)],
    ),
    (
        "fan",
        "hardware",
        "nvr",
        "设备",
        ["NVR", "交换机"],
        "{v}风扇异响",
        "{v}运行时风扇噪音大、异响。",
        "风扇积尘或轴承磨损。",
        "清灰或更换{v}风扇。",
        [("short", "风扇异响", None), ("colloquial", "录像机嗡嗡响声音很大", 0)],
    ),
    (
        "door_sensor",
        "power",
        "access",
        "传感器",
        ["门磁", "红外对射"],
        "{v}告警频繁误报",
        "机房门已关闭，{v}仍频繁上报门开告警。",
        "{v}安装间隙过大或接线松动。",
        "调整{v}安装位置，紧固接线。",
        [("short", "门磁误报", None), ("detail", "红外对射一直报警", 1)],
    ),
    (
        "electric_meter",
        "power",
        "fsu",
        "电表",
        ["单相电表", "三相电表"],
        "{v}读数为零",
        "动环监控平台上{v}电量读数一直为 0。",
        "电表 RS485 地址或规约选择错误。",
        "核对{v}地址和 DL/T645 规约。",
        [("short", "电表读数为0", None), ("detail", "三相电表没数据", 1)],
    ),
    (
        "fsu_config",
        "software",
        "fsu",
        "固件",
        ["V2.1", "V2.3"],
        "FSU {v} 固件配置下发失败",
        "平台向 FSU 下发配置失败，提示 E-510 配置校验失败，FSU 固件为 {v}。",
        "{v} 固件的配置格式与平台模板不兼容。",
        "升级平台模板或将 FSU 升级到兼容固件，重新下发配置。",
        [
            ("code", "E-510", None),
            ("detail", "FSU V2.1 配置下发失败", 0),
            ("detail", "V2.3 FSU E-510", 1),
        ],
    ),
    (
        "rectifier_overvolt",
        "power",
        "rectifier",
        "模块型号",
        ["R48-3000", "R48-2900"],
        "整流模块 {v} 输出过压保护",
        "开关电源整流模块 {v} 输出电压升高至 58V 后关断，监控上报模块过压告警 E-305。",
        "均充电压设置过高或模块电压采样失准。",
        "将浮充电压恢复为 53.5V，关闭强制均充；仍过压时更换 {v} 模块。",
        [
            ("code", "E-305 过压", None),
            ("detail", "R48-3000 过压保护关断", 0),
            ("synonym", "整流器输出电压太高自己关了", None),
        ],
    ),
    (
        "fsu_sensor_bus",
        "configuration",
        "fsu",
        "总线",
        ["RS485", "CAN"],
        "FSU {v} 总线设备全部通信中断",
        "FSU 下挂的 {v} 总线设备（电表、温湿度、空调）全部显示通信中断。",
        "{v} 总线短路或某一设备故障拉低总线。",
        "逐个断开 {v} 总线上的设备定位故障点，检查屏蔽线与终端电阻。",
        [
            ("short", "总线通信中断", None),
            ("detail", "FSU CAN 总线设备都断了", 1),
            ("mixed", "FSU RS485 bus 全部 timeout", 0),
        ],
    ),
    (
        "nvr_channel_offline",
        "hardware",
        "nvr",
        "设备",
        ["NVR", "DVR"],
        "{v}通道全部显示离线",
        "{v}重启后所有通道显示离线，IPC 网页可以访问。",
        "{v}网口与 IPC 不在同一网段，或 PoE 口供电异常。",
        "核对{v}网卡 IP 和网关，检查 PoE 端口供电状态。",
        [
            ("short", "通道离线", None),
            ("detail", "DVR 所有通道掉线", 1),
            ("long", "硬盘录像机重启以后所有通道都显示离线 但是摄像机网页能打开", 0),
        ],
    ),
    (
        "audio",
        "hardware",
        "ipc",
        "音频",
        ["拾音器", "对讲"],
        "IPC {v}没有声音",
        "IPC 预览画面正常，但{v}没有声音。",
        "音频编码未开启或{v}接线错误。",
        "在 IPC 开启音频并选择 G.711，检查{v}接线和供电。",
        [("short", "没有声音", None), ("detail", "摄像头拾音器没声音", 0)],
    ),
    (
        "switch_poe",
        "network",
        "switch",
        "PoE 标准",
        ["802.3af", "802.3at"],
        "PoE 交换机（{v}）端口不供电",
        "PoE 交换机部分端口不给 IPC 供电，端口灯不亮，标准为 {v}。",
        "整机 PoE 功率预算超限或{v}端口供电模式不匹配。",
        "查看 PoE 功率预算，关闭不用端口；{v} 与终端标准不一致时更换。",
        [
            ("short", "PoE不供电", None),
            ("detail", "802.3at 交换机端口不供电", 1),
            ("synonym", "交换机带不动摄像头", None),
        ],
    ),
    (
        "gateway_5g_temp",
        "network",
        "router",
        "网络制式",
        ["4G", "5G"],
        "{v}路由器高温重启",
        "夏季户外机柜内{v}路由器频繁重启，外壳温度超过 70℃。",
        "机柜散热差，{v}模块功耗大。",
        "加装机柜风扇或遮阳罩，{v}路由器选用宽温型号。",
        [("short", "路由器高温重启", None), ("detail", "5G路由器太热自动重启", 1)],
    ),
]
# More queries in the words people type, kept apart from the topics for readability.
EXTRA_QUERIES = {
    "ups_bypass": [
        (
            "long",
            "机房 UPS 最近几天总是自己切换到旁路供电，面板上显示逆变器故障，过一会又恢复正常了，是什么原因",
            None,
        )
    ],
    "disk_error": [
        (
            "long",
            "客户反映 NVR 上面提示硬盘异常，最近几天都没有录像，硬盘状态显示错误，需要怎么处理",
            0,
        ),
        ("code", "硬盘报错 0x80070005 录不了像", None),
    ],
    "water_leak": [
        (
            "long",
            "机房地面是干的没有任何积水，但是动环平台上水浸传感器一直在告警，清除以后又会出现",
            None,
        )
    ],
    "video_loss": [
        ("long", "摄像机按国标接入到平台以后设备显示在线，但是点开预览画面是黑屏，提示视频丢失", 1)
    ],
    "switch_loop": [
        (
            "long",
            "今天上午营业厅整个网络突然全部卡死，交换机所有端口的灯都在狂闪，CPU 占用很高",
            None,
        )
    ],
    "router_dial": [
        ("long", "新装的5G工业路由器插了卡以后一直拨号失败，状态里面显示 PDP 激活失败", 1)
    ],
    "gb28181_register": [
        (
            "long",
            "下级平台按照国标 GB28181 往上级平台 V2.3 注册，一直注册失败，设备日志返回 401 未授权",
            1,
        )
    ],
    "aircon_comm": [
        (
            "long",
            "动环平台读不到空调的运行状态，显示通信中断，但是空调本身运行是正常的，用的 485 接口",
            0,
        )
    ],
    "door_access": [
        ("long", "门禁控制器在线，但是员工刷卡以后门打不开，平台也没有收到开门记录", 0)
    ],
    "firmware_upgrade": [
        ("long", "昨天晚上给硬盘录像机升级了 V2.3 的固件，升级完以后就一直反复重启，进不去系统", 1)
    ],
    "battery_low": [
        ("long", "站点市电是正常的，但是动环监控一直报 48V 蓄电池组电压低，已经持续好几天了", 0)
    ],
    "optical": [
        ("long", "交换机的万兆光口 LINK 灯不亮，看端口状态是无光，测了一下光功率只有 -40dBm", 1)
    ],
    "packet_loss": [("colloquial", "监控画面一卡一卡的 ping 了一下丢包很厉害", None)],
    "ipc_offline": [("colloquial", "摄像头白天好好的 一到晚上就掉线 用的 poe 供电", 0)],
    "smoke": [("colloquial", "机房里根本没烟 烟雾报警器老是乱响", None)],
    "router_signal": [("colloquial", "4g 路由信号太差了 隔一会就断网", 0)],
    "fsu_config": [("mixed", "FSU firmware V2.3 config 下发 E-510", 1)],
    "rectifier_overvolt": [("mixed", "rectifier R48-2900 over voltage E-305", 1)],
    "ups_battery_test": [("code", "UPS 面板 E-117", None)],
    "platform_cert": [("colloquial", "谷歌浏览器打不开监控平台 说证书不安全", 0)],
    "vpn": [("mixed", "IPSec VPN tunnel down 协商失败", 0)],
}
UNANSWERABLE = [
    "打印机卡纸怎么办",
    "年假怎么申请",
    "发票抬头怎么开",
    "会议室预定系统打不开",
    "笔记本电脑蓝屏",
    "微信聊天记录恢复",
    "食堂几点开饭",
    "报销单据丢了",
    "快递寄件流程",
    "手机充电很慢",
    "咖啡机不出水",
    "车辆年检需要什么材料",
    "Excel 公式 VLOOKUP 报错",
    "电梯困人应急",
    "请问工资条在哪里看",
]
MODELS = {
    "power": ["ETP4830", "ZXDU68", "NetSure 701", "KR33", "DKD51"],
    "video": ["DS-7816N", "NVR4216", "NVR308", "TC-R3216", "HoloSens NVR800"],
    "network": ["S5735", "S5130", "RG-S2910", "ZXR10 5250", "TL-SG2210"],
}
SITES = ["基站", "机房", "营业厅", "变电站", "高速收费站", "园区"]


def build():
    random.seed(20260901)
    articles, queries = [], []
    next_id = 1
    for key, category, product, dimension, variants, title, symptom, cause, solution, qs in TOPICS:
        family = PRODUCTS[product][1]
        ids_by_variant = {i: [] for i in range(len(variants))}
        for vi, variant in enumerate(variants):
            for mi, maker in enumerate(MAKERS[family]):
                model = MODELS[family][mi]
                site = random.choice(SITES)
                fill = {"v": variant}
                articles.append(
                    {
                        "id": next_id,
                        "topic": key,
                        "title": f"【{maker}】" + title.format(**fill),
                        "symptom": f"{site}现场，{maker} {model}：" + symptom.format(**fill),
                        "cause": cause.format(**fill),
                        "solution": solution.format(**fill),
                        "product": product,
                        "product_versions": variant if variant.startswith("V2") else "",
                        "category": category,
                        "tags": ",".join([maker, variant, dimension]),
                    }
                )
                ids_by_variant[vi].append(next_id)
                next_id += 1
        for kind, text, vi in [*qs, *EXTRA_QUERIES.get(key, [])]:
            expected = (
                ids_by_variant[vi]
                if vi is not None
                else [pk for ids in ids_by_variant.values() for pk in ids]
            )
            queries.append({"query": text, "kind": kind, "expected": expected})
    for text in UNANSWERABLE:
        queries.append({"query": text, "kind": "none", "expected": []})
    return articles, queries


def main():
    articles, queries = build()
    with open(HERE / "articles.jsonl", "w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    with open(HERE / "queries.jsonl", "w", encoding="utf-8") as out:
        for query in queries:
            out.write(json.dumps(query, ensure_ascii=False) + "\n")
    print(f"{len(articles)} articles, {len(queries)} queries")


if __name__ == "__main__":
    main()
