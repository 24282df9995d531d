"""The columns of each import kind, with their Chinese and English headers and an example row."""

from dataclasses import dataclass

from tierdesk.transfer.models import ImportKind


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    max_length: int | None = None
    example: str = ""

    def header(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


COLUMNS: dict[str, list[Column]] = {
    ImportKind.CUSTOMERS: [
        Column("customer", "客户名称", "Customer", True, 200, "华东电网公司"),
        Column("notes", "客户备注", "Customer notes", False, None, "重点客户"),
        Column("contact", "联系人", "Contact", False, 100, "张伟"),
        Column("contact_title", "联系人职务", "Contact title", False, 100, "运维主管"),
        Column("contact_phone", "联系人电话", "Contact phone", False, 40, "13800000000"),
        Column("contact_email", "联系人邮箱", "Contact e-mail", False, 254, "zhang@example.com"),
    ],
    ImportKind.SITES: [
        Column("customer", "客户名称", "Customer", True, 200, "华东电网公司"),
        Column("name", "站点名称", "Site", True, 200, "南京变电站"),
        Column("region", "大区", "Region", True, None, "华东大区"),
        Column("address", "地址", "Address", False, 300, "南京市江宁区"),
    ],
    ImportKind.PRODUCTS: [
        Column("code", "产品编码", "Product code", True, 40, "pmu-3000"),
        Column("name", "产品名称", "Product name", True, 120, "PMU-3000 监控单元"),
        Column("category", "产品类别", "Category", True, None, "own"),
        Column("version", "版本", "Version", False, 40, "V2.1"),
        Column("released_on", "发布日期", "Released on", False, None, "2025-06-30"),
    ],
    ImportKind.CASES: [
        Column("reference", "原系统编号", "Reference", True, 100, "OLD-2024-0001"),
        Column("title", "标题", "Title", True, 200, "监控单元离线"),
        Column("description", "问题描述", "Description", True, None, "站点监控单元每日凌晨离线"),
        Column("customer", "客户名称", "Customer", True, 200, "华东电网公司"),
        Column("site", "站点名称", "Site", True, 200, "南京变电站"),
        Column("product", "产品", "Product", True, None, "pmu-3000"),
        Column("version", "版本", "Version", False, None, "V2.1"),
        Column("contact", "联系人", "Contact", False, None, "张伟"),
        Column("priority", "优先级", "Priority", True, None, "P2"),
        Column("classification", "问题分类", "Classification", False, None, "product_defect"),
        Column("source", "问题来源", "Source", False, None, "customer"),
        Column("channel", "反馈方式", "Channel", False, None, "phone"),
        Column("status", "状态", "Status", True, None, "closed"),
        Column("opened_at", "创建时间", "Opened at", True, None, "2024-03-01 09:30"),
        Column("resolved_at", "解决时间", "Resolved at", False, None, "2024-03-02 17:00"),
        Column("closed_at", "关闭时间", "Closed at", False, None, "2024-03-05 10:00"),
        Column("resolution", "解决方案", "Resolution", False, None, "升级固件至 V2.1.3"),
        Column("resolved_by", "解决人", "Resolved by", False, None, "bob"),
        Column("resolved_line", "解决线", "Resolved at line", False, None, "2"),
    ],
}


def _header_name(header: str) -> str:
    # People often mark a required column with an asterisk ("站点名称*"); case does not matter.
    return header.strip().rstrip("*＊").strip().casefold()


def match_headers(kind: str, headers: list[str]) -> tuple[dict[int, Column], list[str], list]:
    """Which column each header names: (position -> column, unknown headers, missing columns)."""
    by_name = {}
    for column in COLUMNS[kind]:
        by_name[column.zh.casefold()] = column
        by_name[column.en.casefold()] = column
        by_name[column.key.casefold()] = column
    positions: dict[int, Column] = {}
    unknown, seen = [], set()
    for position, header in enumerate(headers):
        name = _header_name(header)
        if not name:
            continue
        column = by_name.get(name)
        if column is None or column.key in seen:
            unknown.append(header)
            continue
        seen.add(column.key)
        positions[position] = column
    missing = [c for c in COLUMNS[kind] if c.required and c.key not in seen]
    return positions, unknown, missing


def headers_language(positions: dict[int, Column], headers: list[str]) -> str | None:
    """The language the file's known headers are written in, if they agree on one."""
    languages = set()
    for position, column in positions.items():
        name = _header_name(headers[position])
        if name == column.zh.casefold():
            languages.add("zh-hans")
        elif name == column.en.casefold():
            languages.add("en")
    return languages.pop() if len(languages) == 1 else None
