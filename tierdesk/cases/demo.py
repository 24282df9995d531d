"""Demo cases, walked along the chart's routes through the workflow itself."""

from datetime import timedelta

from django.utils import timezone

from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, Channel, Classification, Priority, Source
from tierdesk.cases.models import Case
from tierdesk.organization.models import Product, Site, User, Vendor

DEMO_CASES = [
    # (title, reporter, product, priority, route)
    ("FSU 频繁离线，动环告警上报中断", "fe-east-1", "fsu-3000", Priority.P2, "field"),
    ("蓄电池电压告警误报", "fe-north-1", "bms-200", Priority.P3, "regional"),
    ("动环平台告警延迟超过 5 分钟", "fe-south-1", "pems", Priority.P2, "line2"),
    ("FSU-3000 升级 V3.3.0 后串口采集失败", "fe-central-1", "fsu-3000", Priority.P1, "rd"),
    ("NVR 录像回放花屏", "fe-southwest-1", "nvr-16", Priority.P3, "vendor"),
    (
        "开关电源模块通信中断，已现场更换线缆",
        "fe-northwest-1",
        "rectifier-48",
        Priority.P4,
        "resolved",
    ),
]


def load_demo_cases() -> int:
    """Create the demo cases once; return how many exist."""
    if Case.objects.filter(title=DEMO_CASES[0][0]).exists():
        return Case.objects.count()
    now = timezone.now() - timedelta(hours=30)
    line2 = User.objects.get(username="l2-1")
    for title, reporter_name, product_code, priority, route in DEMO_CASES:
        reporter = User.objects.get(username=reporter_name)
        site = Site.objects.filter(region=reporter.region).first()
        case = workflow.open_case(
            by=reporter,
            now=now,
            title=title,
            description=f"{title}。现场已重启设备，问题仍在。",
            customer=site.customer,
            site=site,
            product=Product.objects.get(code=product_code),
            source=Source.CUSTOMER,
            channel=Channel.FIELD,
            priority=priority,
        )
        now += timedelta(minutes=20)
        if route == "resolved":
            workflow.perform(
                case,
                action=Action.RESOLVE,
                by=reporter,
                now=now,
                text="通信线缆老化，已更换，告警恢复。",
            )
            continue
        if route == "field":
            continue
        workflow.perform(
            case, action=Action.ESCALATE, by=reporter, now=now, text="已检查接线与配置，无法解决。"
        )
        if route == "regional":
            continue
        regional = User.objects.get(username=f"rs-{reporter.region.code}")
        workflow.perform(
            case,
            action=Action.ESCALATE,
            by=regional,
            now=now + timedelta(hours=1),
            text="日志显示设备侧异常，需二线分析。",
        )
        workflow.assign(case, by=line2, to=line2, now=now + timedelta(hours=2))
        if route == "rd":
            workflow.perform(
                case,
                action=Action.TRANSFER_RD,
                by=line2,
                now=now + timedelta(hours=3),
                text="可稳定复现，疑似固件缺陷。",
                classification=Classification.PRODUCT_DEFECT,
            )
        elif route == "vendor":
            workflow.perform(
                case,
                action=Action.TRANSFER_VENDOR,
                by=line2,
                now=now + timedelta(hours=3),
                text="确认为厂家 NVR 固件问题。",
                classification=Classification.PARTNER_PRODUCT,
                vendor=Vendor.objects.get(name="海视达视频技术有限公司"),
                coordinator=User.objects.get(username="presales-1"),
            )
    return Case.objects.count()
