"""Demo data: a small but complete support organization to try tierdesk with."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tierdesk.organization.models import (
    Contact,
    Customer,
    Department,
    DepartmentFunction,
    Product,
    ProductCategory,
    ProductVersion,
    Region,
    Role,
    RoleCode,
    Site,
    User,
    Vendor,
    VendorCoverage,
)

DEMO_PASSWORD = "tierdesk-demo-2026"

REGIONS = [
    ("north", "华北大区", "North China"),
    ("east", "华东大区", "East China"),
    ("south", "华南大区", "South China"),
    ("central", "华中大区", "Central China"),
    ("southwest", "西南大区", "Southwest China"),
    ("northwest", "西北大区", "Northwest China"),
    ("northeast", "东北大区", "Northeast China"),
]

DEPARTMENTS = [
    (
        "engineering-service",
        "工程服务部",
        "Engineering Service",
        DepartmentFunction.ENGINEERING_SERVICE,
    ),
    ("rd-test-support", "研发测试支持部", "R&D Test Support", DepartmentFunction.RD_TEST_SUPPORT),
    ("market-support", "市场支持部", "Market Support", DepartmentFunction.MARKET_SUPPORT),
    (
        "product-management",
        "产品管理部",
        "Product Management",
        DepartmentFunction.PRODUCT_MANAGEMENT,
    ),
    (
        "after-sales-management",
        "售后服务管理部",
        "After-sales Management",
        DepartmentFunction.AFTER_SALES_MANAGEMENT,
    ),
    ("it", "信息技术部", "IT", DepartmentFunction.OTHER),
]

VENDORS = [
    ("海视达视频技术有限公司", [ProductCategory.VIDEO]),
    ("力源电源设备有限公司", [ProductCategory.POWER_ENVIRONMENT]),
    ("网通智联科技有限公司", [ProductCategory.OTHER, ProductCategory.POWER_ENVIRONMENT]),
]

PRODUCTS = [
    ("fsu-3000", "FSU-3000 动环监控单元", ProductCategory.OWN, ["V3.2.1", "V3.3.0"]),
    ("pems", "动环集中监控平台", ProductCategory.OWN, ["V5.1", "V5.2"]),
    ("bms-200", "BMS-200 蓄电池监测仪", ProductCategory.OWN, ["V2.0.4"]),
    ("nvr-16", "NVR-16 网络硬盘录像机", ProductCategory.VIDEO, ["V4.0.2"]),
    ("ipc-d2", "IPC-D2 网络摄像机", ProductCategory.VIDEO, ["V5.5.0"]),
    ("aircon-p12", "P12 精密空调", ProductCategory.POWER_ENVIRONMENT, ["V1.8"]),
    ("rectifier-48", "48V 开关电源", ProductCategory.POWER_ENVIRONMENT, ["V2.3"]),
    ("router-4g", "4G 无线路由器", ProductCategory.OTHER, ["V1.2.7"]),
]

CUSTOMERS = [
    ("中国铁塔北京分公司", "north", ["朝阳基站机房", "海淀数据中心"], "王建国"),
    ("中国移动上海分公司", "east", ["浦东核心机房", "嘉定汇聚机房"], "李明"),
    ("中国联通广东分公司", "south", ["广州天河机房"], "陈晓东"),
    ("中国电信湖北分公司", "central", ["武汉光谷机房"], "刘洋"),
    ("中国铁塔四川分公司", "southwest", ["成都高新基站"], "杨帆"),
    ("中国移动陕西分公司", "northwest", ["西安曲江机房"], "赵磊"),
    ("中国联通辽宁分公司", "northeast", ["沈阳浑南机房"], "孙丽"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    roles: tuple[str, ...]
    region: str | None = None
    department: str | None = None
    vendor: str | None = None


def _people() -> list[DemoUser]:
    people = []
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱"
    given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英"
    n = 0
    for code, _zh, _en in REGIONS:
        for index in (1, 2):
            people.append(
                DemoUser(
                    f"fe-{code}-{index}",
                    surnames[n % 14],
                    given[n % 21],
                    (RoleCode.FIELD_ENGINEER,),
                    region=code,
                )
            )
            n += 1
        people.append(
            DemoUser(
                f"rs-{code}",
                surnames[n % 14],
                given[n % 21],
                (RoleCode.REGIONAL_SUPPORT,),
                region=code,
            )
        )
        n += 1
    central = [
        ("l2-1", (RoleCode.LINE2_ENGINEER,), "engineering-service"),
        ("l2-2", (RoleCode.LINE2_ENGINEER,), "engineering-service"),
        ("l2-3", (RoleCode.LINE2_ENGINEER,), "engineering-service"),
        ("l2-4", (RoleCode.LINE2_ENGINEER,), "engineering-service"),
        ("es-manager", (RoleCode.SERVICE_MANAGER, RoleCode.LINE2_ENGINEER), "engineering-service"),
        ("rd-1", (RoleCode.RD_ENGINEER,), "rd-test-support"),
        ("rd-2", (RoleCode.RD_ENGINEER,), "rd-test-support"),
        ("rd-3", (RoleCode.RD_ENGINEER,), "rd-test-support"),
        ("presales-1", (RoleCode.PRESALES_ENGINEER,), "market-support"),
        ("presales-2", (RoleCode.PRESALES_ENGINEER,), "market-support"),
        ("pm-1", (RoleCode.PRODUCT_MANAGER,), "product-management"),
        ("pm-2", (RoleCode.PRODUCT_MANAGER,), "product-management"),
        ("ipm-1", (RoleCode.INTEGRATION_PRODUCT_MANAGER,), "product-management"),
        ("supervisor", (RoleCode.SUPERVISOR,), "after-sales-management"),
        ("admin", (RoleCode.ADMINISTRATOR,), "it"),
    ]
    for username, roles, department in central:
        people.append(
            DemoUser(username, surnames[n % 14], given[n % 21], roles, department=department)
        )
        n += 1
    for index, (vendor, _categories) in enumerate(VENDORS, start=1):
        people.append(
            DemoUser(
                f"vendor-{index}",
                surnames[n % 14],
                given[n % 21],
                (RoleCode.VENDOR_CONTACT,),
                vendor=vendor,
            )
        )
        n += 1
    return people


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create or refresh the demo organization; return (username, name, roles) rows."""
    regions = {}
    for code, name, name_en in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
    departments = {}
    for code, name, name_en, function in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "function": function}
        )
    vendors = {}
    for name, categories in VENDORS:
        vendors[name], _ = Vendor.objects.get_or_create(name=name)
        for category in categories:
            VendorCoverage.objects.get_or_create(vendor=vendors[name], category=category)
    for code, name, category, versions in PRODUCTS:
        product, _ = Product.objects.update_or_create(
            code=code, defaults={"name": name, "category": category}
        )
        for version in versions:
            ProductVersion.objects.get_or_create(product=product, version=version)
    for name, region_code, site_names, contact_name in CUSTOMERS:
        customer, _ = Customer.objects.get_or_create(name=name)
        for site_name in site_names:
            Site.objects.update_or_create(
                customer=customer, name=site_name, defaults={"region": regions[region_code]}
            )
        Contact.objects.get_or_create(
            customer=customer,
            name=contact_name,
            defaults={"phone": "13800000000", "title": "机房主管"},
        )

    # The roles come with the migrations; get_or_create keeps the demo loadable on a database
    # emptied since (a restore, a flushed test database).
    roles = {code: Role.objects.get_or_create(code=code)[0] for code in RoleCode.values}
    # Hashing is slow on purpose; the demo users share one password, so hash it once.
    password_hash = make_password(DEMO_PASSWORD)
    rows = []
    for person in _people():
        user, created = User.objects.update_or_create(
            username=person.username,
            defaults={
                "last_name": person.last_name,
                "first_name": person.first_name,
                "email": f"{person.username}@tierdesk.example",
                "region": regions.get(person.region),
                "department": departments.get(person.department),
                "vendor": vendors.get(person.vendor),
                "is_staff": RoleCode.ADMINISTRATOR in person.roles,
                "is_superuser": RoleCode.ADMINISTRATOR in person.roles,
            },
        )
        if created:
            user.password = password_hash
            user.save(update_fields=["password"])
        user.roles.set([roles[code] for code in person.roles])
        role_names = ", ".join(str(RoleCode(code).label) for code in person.roles)
        rows.append((person.username, f"{person.last_name}{person.first_name}", role_names))
    return rows
