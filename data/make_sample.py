"""Generate the bundled synthetic sample: a city's approval clean-up and its retained processes.

The sample is shaped on the published city case (393 licensing items of which 184 retained,
19.89 → 11.01 working days; 53 investment-project items of which 29 retained, 41.20 → 23.63),
so the product, reading it, must reproduce those figures. Every name, code and legal basis is
made up (合成示例数据); nothing here is a real government list.

Two workbooks are written:

* ``示例市行政审批事项清理汇总表（合成数据）.xlsx`` — sheets 行政许可 and 投资项目审批, laid out as a
  department-collected list (merged title, 填报单位 line, header on row 3, a 合计 row);
* ``示例市保留事项办理环节（合成数据）.xlsx`` — sheet 办理环节, the 再造前 and 再造后 process of
  every retained item, whose critical paths equal the item's before and after limits.

The output depends only on the seed: ``random.Random(seed)``, no clock, a fixed creation date.

Usage: ``.venv/bin/python data/make_sample.py [--out DIR] [--seed N]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlsxwriter

SEED = 2026
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
CITY_CODE = "990100"  # no province has code 99: the sample cannot be mistaken for a real area
CREATED = datetime(2026, 11, 20, 9, 0, 0)

ITEMS_FILE = "示例市行政审批事项清理汇总表（合成数据）.xlsx"
STEPS_FILE = "示例市保留事项办理环节（合成数据）.xlsx"
LICENSING = "行政许可"
INVESTMENT = "投资项目审批"
STEPS_SHEET = "办理环节"

ITEM_HEADER = (
    "序号",
    "实施部门",
    "事项编码",
    "事项名称",
    "子项名称",
    "事项类型",
    "设定依据",
    "法定办结时限",
    "原承诺办结时限",
    "承诺办结时限（清理后）",
    "是否收费",
    "收费依据",
    "申请材料",
    "处理意见",
    "备注",
)
STEP_HEADER = (
    "事项编码",
    "事项名称",
    "实施部门",
    "流程版本",
    "环节序号",
    "环节名称",
    "责任科室",
    "责任人员",
    "办理时限",
    "前置环节",
    "所需材料",
    "计入时限",
)
SHEET_TITLES = {
    LICENSING: "示例市市本级行政许可事项清理汇总表（合成示例数据，非真实清单）",
    INVESTMENT: "示例市市本级投资项目审批事项清理汇总表（合成示例数据，非真实清单）",
}
FILLER_LINE = "填报单位：示例市人民政府法制办公室    填报日期：2026年11月"
STEPS_TITLE = "示例市保留事项办理环节表（合成示例数据）"

# The published case: per list, how many items end in each decision class, and the exact sums
# of the retained items' before / after limits (working days) that give the published means.
RETAINED, CANCELLED, DELEGATED, MERGED, CHANGED = "保留", "取消", "下放", "合并", "转变管理方式"
QUOTAS = {
    LICENSING: {RETAINED: 184, CANCELLED: 90, DELEGATED: 50, MERGED: 30, CHANGED: 39},
    INVESTMENT: {RETAINED: 29, CANCELLED: 9, DELEGATED: 5, MERGED: 5, CHANGED: 5},
}
TARGET_SUMS = {LICENSING: (3659.5, 2025.5), INVESTMENT: (1194.875, 685.25)}
CODE_KINDS = {LICENSING: "XK", INVESTMENT: "TZ"}

# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Department:
    """A department with its business offices, laws and the licensing items it carries out."""

    name: str
    offices: tuple[str, ...]
    laws: tuple[str, ...]
    ministry: str
    topic: str
    materials: tuple[str, ...]
    items: tuple[str, ...]


# fmt: off
DEPARTMENTS: tuple[Department, ...] = (
    Department(
        name="市发展和改革委员会", ministry="国家发展和改革委员会", topic="价格和能源",
        offices=("投资科", "价格科", "能源科"),
        laws=(
            "《中华人民共和国电力法》", "《中华人民共和国石油天然气管道保护法》",
            "《中华人民共和国价格法》", "《企业投资项目核准和备案管理条例》", "《政府投资条例》",
        ),
        materials=("施工作业方案", "管道保护方案", "成本监审资料"),
        items=(
            "电力设施保护区内施工作业许可", "石油天然气管道保护范围内特定施工作业许可",
            "政府定价的经营服务性收费审批", "价格评估机构资质认定", "煤炭经营许可",
            "供电营业区划分审批", "新建不能满足管道保护要求的石油天然气管道防护方案审批",
            "可再生能源发电项目上网电价审核",
        ),
    ),
    Department(
        name="市教育局", ministry="教育部", topic="民办教育",
        offices=("民办教育管理科", "基础教育科", "职业教育与成人教育科", "教师工作科"),
        laws=(
            "《中华人民共和国民办教育促进法》", "《中华人民共和国教育法》", "《教师资格条例》",
            "《校车安全管理条例》",
        ),
        materials=("办学章程", "办学资金证明", "校舍证明", "师资名册"),
        items=(
            "民办学校设立审批", "民办学校分立、合并审批", "民办学校变更审批", "民办学校终止审批",
            "中外合作办学机构设立审批", "教师资格认定", "校车使用许可", "幼儿园设立审批",
            "中等职业学校设置审批", "民办学校以捐赠者姓名或名称作为校名审批",
            "民办学校章程修改核准", "民办学校举办者变更审批", "非学历教育培训机构设立审批",
        ),
    ),
    Department(
        name="市科学技术局", ministry="科学技术部", topic="科技管理",
        offices=("科技成果科", "高新技术科"),
        laws=("《实验动物管理条例》", "《外国人在中国就业管理规定》"),
        materials=("实验动物设施证明", "技术人员名单"),
        items=(
            "实验动物生产许可", "实验动物使用许可", "外国人来华工作许可", "技术合同认定登记",
            "科技成果鉴定",
        ),
    ),
    Department(
        name="市工业和信息化局", ministry="工业和信息化部", topic="墙体材料",
        offices=("产业发展科", "节能与综合利用科"),
        laws=("《民用爆炸物品安全管理条例》", "《中华人民共和国节约能源法》"),
        materials=("企业基本情况", "专项基金缴纳凭证"),
        items=(
            "民用爆炸物品销售许可初审", "新型墙体材料专项基金返退审核", "散装水泥专项资金减免审批",
            "电力用户供电方式调整审批",
        ),
    ),
    Department(
        name="市民族宗教事务局", ministry="国家宗教事务局", topic="宗教事务",
        offices=("宗教事务科", "民族工作科"),
        laws=("《宗教事务条例》",),
        materials=("场所设立申请", "资金来源证明", "信教公民意见"),
        items=(
            "宗教活动场所筹备设立审批", "宗教活动场所设立审批", "宗教活动场所扩建、异地重建审批",
            "宗教临时活动地点审批", "在宗教活动场所内改建或者新建建筑物审批",
            "宗教团体举办宗教培训活动审批", "清真食品生产经营许可",
        ),
    ),
    Department(
        name="市公安局", ministry="公安部", topic="治安管理",
        offices=("治安管理支队", "户政管理科", "网络安全保卫支队", "禁毒支队"),
        laws=(
            "《中华人民共和国治安管理处罚法》", "《民用爆炸物品安全管理条例》",
            "《危险化学品安全管理条例》", "《易制毒化学品管理条例》", "《保安服务管理条例》",
            "《大型群众性活动安全管理条例》", "《中华人民共和国户口登记条例》",
        ),
        materials=("经营场所证明", "安全防范措施", "从业人员名单", "购买用途说明"),
        items=(
            "典当业特种行业许可证核发", "旅馆业特种行业许可证核发", "公章刻制业特种行业许可证核发",
            "剧毒化学品购买许可", "第一类易制毒化学品购买许可", "烟花爆竹道路运输许可",
            "焰火晚会烟花爆竹燃放许可", "大型群众性活动安全许可", "爆破作业单位许可",
            "民用爆炸物品购买许可", "民用爆炸物品运输许可", "保安服务公司设立许可", "保安培训许可",
            "举行集会游行示威许可", "互联网上网服务营业场所信息网络安全审核",
            "金融机构营业场所和金库安全防范设施建设方案审批", "户口迁移审批", "犬类准养许可",
            "易制毒化学品运输许可", "营业性射击场设立许可", "民用枪支持枪许可",
        ),
    ),
    Department(
        name="市民政局", ministry="民政部", topic="社会组织",
        offices=("社会组织管理科", "社会事务科", "养老服务科", "区划地名科"),
        laws=(
            "《社会团体登记管理条例》", "《民办非企业单位登记管理暂行条例》", "《殡葬管理条例》",
            "《地名管理条例》", "《中华人民共和国慈善法》",
        ),
        materials=("组织章程", "验资报告", "住所使用证明", "负责人简历"),
        items=(
            "社会团体登记", "民办非企业单位成立、变更、注销登记", "社会团体修改章程核准",
            "民办非企业单位修改章程核准", "养老机构设立许可", "殡葬设施建设审批", "公墓建设审批",
            "地名命名、更名审批", "慈善组织公开募捐资格审批", "社会福利机构设置审批",
            "社会团体分支机构、代表机构设立登记",
        ),
    ),
    Department(
        name="市司法局", ministry="司法部", topic="法律服务",
        offices=("律师工作科", "公证工作科", "基层工作科"),
        laws=("《中华人民共和国律师法》", "《中华人民共和国公证法》", "《司法鉴定管理办法》"),
        materials=("执业人员名单", "办公场所证明"),
        items=(
            "律师事务所设立审核", "基层法律服务所设立审核", "基层法律服务工作者执业核准",
            "公证机构设立审核", "司法鉴定机构登记审核", "律师事务所变更事项审核",
        ),
    ),
    Department(
        name="市财政局", ministry="财政部", topic="会计",
        offices=("会计科", "政府采购科"),
        laws=("《中华人民共和国会计法》", "《中华人民共和国政府采购法》"),
        materials=("从业人员会计资格证明", "内部管理制度"),
        items=("中介机构从事代理记账业务审批", "会计从业资格证书核发", "政府采购代理机构资格认定"),
    ),
    Department(
        name="市人力资源和社会保障局", ministry="人力资源和社会保障部", topic="劳动用工",
        offices=("劳动关系科", "就业促进科", "职业能力建设科", "人力资源市场科"),
        laws=(
            "《中华人民共和国劳动合同法》", "《人力资源市场暂行条例》",
            "《中华人民共和国就业促进法》", "《中华人民共和国民办教育促进法》",
        ),
        materials=("劳动合同文本", "工时制度方案", "职工代表大会意见"),
        items=(
            "人力资源服务许可", "劳务派遣经营许可", "企业实行不定时工作制和综合计算工时工作制审批",
            "民办职业培训学校设立、分立、合并、变更及终止审批", "台港澳人员在内地就业许可",
            "职业技能鉴定机构设立审批", "外国人入境就业许可", "技工学校设立审批",
            "企业职工特殊工种提前退休审批",
        ),
    ),
    Department(
        name="市自然资源和规划局", ministry="自然资源部", topic="城乡规划",
        offices=("国土空间规划科", "建设用地科", "耕地保护科", "矿产资源科", "测绘地理信息科"),
        laws=(
            "《中华人民共和国城乡规划法》", "《中华人民共和国土地管理法》",
            "《中华人民共和国矿产资源法》", "《地质灾害防治条例》", "《中华人民共和国测绘法》",
        ),
        materials=("规划设计方案", "建设工程设计图纸", "土地权属证明", "地形图"),
        items=(
            "建设用地规划许可证核发", "建设工程规划许可证核发", "乡村建设规划许可证核发",
            "临时建设工程规划许可", "划拨土地使用权转让、出租审批",
            "国有建设用地使用权出让后土地使用权分割转让批准", "临时用地审批",
            "采矿权新立、延续、变更登记", "探矿权新立、延续、变更、保留登记",
            "建设项目压覆重要矿床审批", "地质灾害危险性评估报告审查",
            "地质灾害治理工程勘查设计施工单位资质审批", "修建性详细规划审批",
            "建设工程设计方案审查", "历史文化街区内建设活动审批",
            "土地开垦区内开发未确定使用权的国有土地从事生产审查", "测绘作业证核发",
            "乙级测绘资质审批", "开采矿产资源划定矿区范围批准", "城市规划编制单位资质认定",
            "建设工程竣工规划核实", "国有建设用地改变用途审批",
        ),
    ),
    Department(
        name="市生态环境局", ministry="生态环境部", topic="污染防治",
        offices=("环境影响评价科", "污染防治科", "固体废物与化学品科", "辐射安全科"),
        laws=(
            "《中华人民共和国环境保护法》", "《中华人民共和国环境影响评价法》",
            "《中华人民共和国固体废物污染环境防治法》", "《排污许可管理条例》",
            "《放射性同位素与射线装置安全和防护条例》", "《中华人民共和国水污染防治法》",
        ),
        materials=("环境影响评价文件", "污染防治设施说明", "监测报告"),
        items=(
            "排污许可证核发", "危险废物经营许可", "防治污染设施拆除或闲置审批", "辐射安全许可",
            "入河排污口设置审核", "建筑施工夜间作业许可", "医疗废物集中处置单位经营许可",
            "环境污染治理设施运营资质认可", "放射性同位素转让审批", "废弃电器电子产品处理资格审批",
            "危险废物转移审批", "机动车排放检验机构资质认定",
        ),
    ),
    Department(
        name="市住房和城乡建设局", ministry="住房和城乡建设部", topic="建筑市场",
        offices=("建筑市场管理科", "工程质量安全科", "城市建设科", "燃气热力科", "勘察设计科"),
        laws=(
            "《中华人民共和国建筑法》", "《建设工程质量管理条例》", "《城镇燃气管理条例》",
            "《中华人民共和国消防法》", "《建设工程勘察设计管理条例》",
            "《城镇排水与污水处理条例》", "《安全生产许可证条例》",
        ),
        materials=("施工图设计文件", "施工合同", "安全生产许可证", "资质证书"),
        items=(
            "建筑工程施工许可证核发", "建筑业企业资质核准", "工程监理企业资质认定",
            "建设工程勘察设计企业资质核准", "建设工程消防设计审查", "建设工程消防验收",
            "燃气经营许可", "燃气设施改动审批", "超限高层建筑工程抗震设防审批",
            "房屋建筑和市政基础设施工程招标代理机构资格认定", "建设工程质量检测机构资质核准",
            "预拌混凝土企业资质核准", "拆除、改动、迁移城市公共供水设施审核",
            "城市供水企业资质审批", "城镇污水排入排水管网许可", "施工图设计文件审查机构认定",
            "建筑施工企业安全生产许可", "建设工程档案验收", "建筑起重机械使用登记",
            "建筑施工特种作业人员操作资格认定", "燃气燃烧器具安装维修企业资质核准",
            "建筑施工企业主要负责人安全生产考核",
        ),
    ),
    Department(
        name="市住房保障和房产管理局", ministry="住房和城乡建设部", topic="房地产市场",
        offices=("房地产开发管理科", "物业管理科", "房屋安全科"),
        laws=(
            "《城市房地产开发经营管理条例》", "《中华人民共和国城市房地产管理法》",
            "《物业管理条例》",
        ),
        materials=("预售方案", "土地使用权证", "工程进度证明"),
        items=(
            "商品房预售许可", "房地产开发企业资质核定", "物业服务企业资质核定",
            "房地产估价机构资质核准", "城市房屋拆迁许可", "白蚁防治单位资质审批",
            "房屋安全鉴定机构资格认定", "住宅专项维修资金使用审核",
        ),
    ),
    Department(
        name="市城市管理局", ministry="住房和城乡建设部", topic="市容市政",
        offices=("市政管理科", "市容环境卫生科", "城市照明管理科", "户外广告管理科"),
        laws=(
            "《城市道路管理条例》", "《城市市容和环境卫生管理条例》", "《城镇排水与污水处理条例》",
        ),
        materials=("施工方案", "占用道路平面图", "设计效果图"),
        items=(
            "城市建筑垃圾处置核准", "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批",
            "城市道路占用、挖掘审批", "依附于城市道路建设各种管线、杆线等设施审批",
            "城市桥梁上架设各类市政管线审批", "特殊车辆在城市道路上行驶审批",
            "从事城市生活垃圾经营性清扫、收集、运输服务审批", "从事城市生活垃圾经营性处置服务审批",
            "关闭、闲置、拆除城市环境卫生设施许可", "城市排水设施改动审批", "占用城市照明设施审批",
            "临时占用城市广场审批", "城市供热经营许可", "渣土运输车辆准运证核发",
        ),
    ),
    Department(
        name="市园林绿化局", ministry="住房和城乡建设部", topic="城市绿化",
        offices=("绿化管理科", "公园管理科"),
        laws=("《城市绿化条例》",),
        materials=("绿地现状图", "树木清单"),
        items=(
            "砍伐城市树木审批", "迁移古树名木审批", "临时占用城市绿地审批",
            "改变绿化规划、绿化用地的使用性质审批", "城市绿化工程施工单位资质审批",
            "公园内设置商业服务网点审批",
        ),
    ),
    Department(
        name="市交通运输局", ministry="交通运输部", topic="道路运输",
        offices=("运输管理科", "城市客运科", "港航管理科", "安全监督科"),
        laws=(
            "《中华人民共和国道路运输条例》", "《中华人民共和国港口法》",
            "《国内水路运输管理条例》", "《巡游出租汽车经营服务管理规定》",
        ),
        materials=("车辆行驶证", "驾驶人员从业资格证", "安全生产管理制度"),
        items=(
            "道路旅客运输经营许可", "道路货物运输经营许可", "道路运输站（场）经营许可",
            "机动车维修经营许可", "机动车驾驶员培训许可", "出租汽车经营许可",
            "网络预约出租汽车经营许可", "网络预约出租汽车驾驶员证核发", "出租汽车车辆运营证核发",
            "城市公共汽车客运线路经营许可", "道路危险货物运输许可", "放射性物品道路运输许可",
            "港口经营许可", "水路运输经营许可", "道路运输从业人员从业资格证核发",
            "道路客运班线站点变更审批", "出租汽车经营权转让审批",
        ),
    ),
    Department(
        name="市公路事业发展中心", ministry="交通运输部", topic="公路路政",
        offices=("路政管理科", "养护管理科"),
        laws=("《中华人民共和国公路法》", "《公路安全保护条例》"),
        materials=("施工图", "交通安全保障方案"),
        items=(
            "公路超限运输许可", "占用、挖掘公路或使公路改线审批",
            "在公路用地范围内设置非公路标志许可", "在公路建筑控制区内埋设管线、电缆等设施许可",
            "更新采伐护路林审批", "跨越、穿越公路修建桥梁、渡槽或架设、埋设管线等设施许可",
            "公路增设或改造平面交叉道口审批",
        ),
    ),
    Department(
        name="市水利局", ministry="水利部", topic="水资源",
        offices=("水资源管理科", "河湖管理科", "水土保持科", "农村水利科"),
        laws=(
            "《中华人民共和国水法》", "《取水许可和水资源费征收管理条例》",
            "《中华人民共和国河道管理条例》", "《中华人民共和国防洪法》",
            "《中华人民共和国水土保持法》", "《水库大坝安全管理条例》",
        ),
        materials=("水资源论证报告", "工程设计方案", "防洪评价报告"),
        items=(
            "取水许可", "河道管理范围内建设项目工程建设方案审批", "河道采砂许可",
            "占用农业灌溉水源、灌排工程设施审批", "水工程建设规划同意书审核",
            "蓄滞洪区避洪设施建设审批", "利用堤顶、戗台兼做公路审批", "坝顶兼做公路审批",
            "在大坝管理和保护范围内修建码头、渔塘许可", "城市建设填堵水域、废除围堤审核",
            "河道管理范围内有关活动（不含河道采砂）审批",
            "在水利工程管理范围内从事爆破、打井、采石、取土审批",
            "开发建设项目水土保持设施竣工验收", "水利工程质量检测单位资质认定",
            "农村集体经济组织修建水库审批",
        ),
    ),
    Department(
        name="市农业农村局", ministry="农业农村部", topic="农业生产",
        offices=("种植业管理科", "渔业渔政科", "农机管理科", "农产品质量安全科"),
        laws=(
            "《中华人民共和国种子法》", "《农药管理条例》", "《中华人民共和国渔业法》",
            "《农业机械安全监督管理条例》", "《乳品质量安全监督管理条例》", "《植物检疫条例》",
        ),
        materials=("经营场所证明", "仓储设施证明", "技术人员资格证明"),
        items=(
            "农药经营许可", "农作物种子生产经营许可", "食用菌菌种生产经营许可", "水产苗种生产许可",
            "渔业捕捞许可", "水域滩涂养殖证核发", "拖拉机和联合收割机登记",
            "拖拉机和联合收割机驾驶证核发", "生鲜乳收购站许可", "生鲜乳准运证明核发",
            "农业植物检疫证书核发", "渔业船舶船员证书核发", "农业机械维修技术合格证核发",
            "农产品地理标志登记初审", "渔业船舶登记", "草种生产经营许可",
        ),
    ),
    Department(
        name="市畜牧兽医局", ministry="农业农村部", topic="畜牧兽医",
        offices=("畜牧科", "兽医科", "兽药饲料科"),
        laws=(
            "《中华人民共和国动物防疫法》", "《兽药管理条例》", "《中华人民共和国畜牧法》",
            "《生猪屠宰管理条例》",
        ),
        materials=("场所布局图", "防疫制度", "执业兽医资格证书"),
        items=(
            "兽药经营许可", "动物防疫条件合格证核发", "动物诊疗许可", "种畜禽生产经营许可",
            "生猪定点屠宰厂（场）设置审查", "执业兽医注册",
        ),
    ),
    Department(
        name="市商务局", ministry="商务部", topic="商品流通",
        offices=("市场运行科", "流通业发展科", "对外贸易科"),
        laws=("《成品油市场管理办法》", "《报废机动车回收管理办法》", "《酒类流通管理办法》"),
        materials=("油库证明", "安全评价报告"),
        items=(
            "成品油零售经营资格审批", "酒类商品批发许可", "酒类商品零售许可",
            "报废机动车回收拆解企业资格认定", "再生资源回收经营者登记", "拍卖企业分公司设立审核",
        ),
    ),
    Department(
        name="市文化广电旅游局", ministry="文化和旅游部", topic="文化市场",
        offices=("文化市场管理科", "旅游市场管理科", "广播电视管理科", "艺术科"),
        laws=(
            "《营业性演出管理条例》", "《娱乐场所管理条例》", "《互联网上网服务营业场所管理条例》",
            "《旅行社条例》", "《卫星电视广播地面接收设施管理规定》", "《广播电视管理条例》",
        ),
        materials=("演出节目单", "场所消防证明", "从业人员名单"),
        items=(
            "营业性演出许可", "娱乐场所经营许可", "互联网上网服务营业场所经营单位设立审批",
            "旅行社业务经营许可", "设置卫星电视广播地面接收设施审批", "有线广播电视站设立审批",
            "广播电视节目制作经营单位设立审批", "文艺表演团体设立审批", "导游证核发",
            "演出场所经营单位设立审批", "歌舞娱乐场所变更审批", "互联网上网服务营业场所变更审批",
        ),
    ),
    Department(
        name="市新闻出版局", ministry="国家新闻出版署", topic="出版印刷",
        offices=("出版管理科", "印刷发行管理科", "电影管理科"),
        laws=("《出版管理条例》", "《印刷业管理条例》", "《电影管理条例》"),
        materials=("经营场所证明", "设备清单"),
        items=(
            "出版物零售业务经营许可", "印刷企业设立审批", "其他印刷品印刷企业设立审批",
            "电影放映单位设立审批", "内部资料性出版物准印证核发", "出版物零售单位变更审批",
        ),
    ),
    Department(
        name="市文物局", ministry="国家文物局", topic="文物保护",
        offices=("文物保护科", "博物馆科"),
        laws=("《中华人民共和国文物保护法》", "《中华人民共和国文物保护法实施条例》"),
        materials=("文物影响评估报告", "设计方案"),
        items=(
            "文物保护单位建设控制地带内建设工程设计方案审批", "文物保护单位原址保护措施审批",
            "市级文物保护单位修缮审批",
            "在文物保护单位保护范围内进行其他建设工程或者爆破钻探挖掘等作业审批",
        ),
    ),
    Department(
        name="市卫生健康委员会", ministry="国家卫生健康委员会", topic="医疗卫生",
        offices=("医政医管科", "公共卫生科", "职业健康科", "妇幼健康科", "中医药管理科"),
        laws=(
            "《医疗机构管理条例》", "《中华人民共和国医师法》", "《护士条例》",
            "《中华人民共和国母婴保健法》", "《公共场所卫生管理条例》", "《放射诊疗管理规定》",
            "《中华人民共和国职业病防治法》",
        ),
        materials=("医疗机构设置批准书", "卫生技术人员资格证书", "设备清单"),
        items=(
            "医疗机构设置审批", "医疗机构执业登记", "医师执业注册", "护士执业注册", "放射诊疗许可",
            "母婴保健技术服务机构执业许可", "母婴保健专项技术服务人员资格认定", "公共场所卫生许可",
            "饮用水供水单位卫生许可", "乡村医生执业注册",
            "医疗机构放射性职业病危害建设项目预评价报告审核",
            "医疗机构放射性职业病危害建设项目竣工验收", "计划生育技术服务机构执业许可",
            "中医医疗机构设置审批", "外籍医师来华短期行医许可", "放射工作人员证核发",
            "医疗机构校验", "医疗广告审查", "医疗机构变更登记",
        ),
    ),
    Department(
        name="市退役军人事务局", ministry="退役军人事务部", topic="烈士褒扬",
        offices=("褒扬纪念科",),
        laws=("《烈士褒扬条例》",),
        materials=("迁移方案",),
        items=("烈士纪念设施保护单位迁移审批",),
    ),
    Department(
        name="市应急管理局", ministry="应急管理部", topic="安全生产",
        offices=("危险化学品安全监督管理科", "非煤矿山安全监督管理科", "工贸安全监督管理科"),
        laws=(
            "《中华人民共和国安全生产法》", "《危险化学品安全管理条例》",
            "《烟花爆竹安全管理条例》",
        ),
        materials=("安全评价报告", "安全管理制度", "应急救援预案"),
        items=(
            "危险化学品经营许可", "烟花爆竹经营（零售）许可", "烟花爆竹经营（批发）许可",
            "危险化学品安全使用许可",
            "生产经营单位主要负责人和安全生产管理人员安全生产知识和管理能力考核",
            "特种作业人员操作资格认定", "安全评价机构资质认可", "非药品类易制毒化学品经营许可",
        ),
    ),
    Department(
        name="市市场监督管理局", ministry="国家市场监督管理总局", topic="市场监管",
        offices=(
            "登记注册科", "食品生产监管科", "食品经营监管科", "特种设备安全监察科", "计量科",
            "药品医疗器械监管科",
        ),
        laws=(
            "《中华人民共和国食品安全法》", "《中华人民共和国特种设备安全法》",
            "《中华人民共和国计量法》", "《中华人民共和国药品管理法》", "《医疗器械监督管理条例》",
            "《中华人民共和国市场主体登记管理条例》",
            "《中华人民共和国工业产品生产许可证管理条例》",
        ),
        materials=("经营场所证明", "设备设施清单", "质量管理制度"),
        items=(
            "食品生产许可", "食品经营许可", "食品生产加工小作坊登记", "特种设备安装改造维修许可",
            "特种设备使用登记", "特种设备作业人员资格认定", "检验检测机构资质认定",
            "工业产品生产许可", "企业登记注册", "个体工商户登记", "农民专业合作社登记",
            "药品零售企业经营许可", "第三类医疗器械经营许可", "计量标准器具核准",
            "承担国家法定计量检定机构任务授权", "广告发布登记", "制造、修理计量器具许可",
            "户外广告登记", "气瓶充装许可", "移动式压力容器充装许可",
        ),
    ),
    Department(
        name="市体育局", ministry="国家体育总局", topic="体育市场",
        offices=("群众体育科", "竞技体育科"),
        laws=("《全民健身条例》", "《公共文化体育设施条例》"),
        materials=("场地器材证明", "社会体育指导人员名单"),
        items=(
            "经营高危险性体育项目许可", "举办健身气功活动及设立站点审批",
            "临时占用公共体育设施审批", "举办攀岩、滑翔等体育赛事审批",
        ),
    ),
    Department(
        name="市统计局", ministry="国家统计局", topic="统计调查",
        offices=("统计执法监督科",),
        laws=("《中华人民共和国统计法》",),
        materials=("调查方案", "调查表式"),
        items=("部门统计调查项目审批", "涉外社会调查项目审批"),
    ),
    Department(
        name="市林业局", ministry="国家林业和草原局", topic="森林资源",
        offices=("资源管理科", "野生动植物保护科", "森林防火科", "国有林场管理科"),
        laws=(
            "《中华人民共和国森林法》", "《中华人民共和国野生动物保护法》", "《森林防火条例》",
            "《植物检疫条例》", "《中华人民共和国种子法》",
        ),
        materials=("林权证明", "伐区调查设计", "林地现状图"),
        items=(
            "林木采伐许可证核发", "林草种子生产经营许可", "野生动物人工繁育许可",
            "出售、收购、利用国家二级保护野生动物及其制品审批", "临时占用林地审批",
            "森林经营单位修筑直接为林业生产服务的工程设施占用林地审批", "木材运输证核发",
            "森林防火期内在森林防火区野外用火审批", "林业植物检疫证书核发",
            "采集国家二级保护野生植物审批", "木材经营加工许可", "狩猎证核发",
        ),
    ),
    Department(
        name="市人民防空办公室", ministry="国家人民防空办公室", topic="人防工程",
        offices=("工程管理科", "通信警报科"),
        laws=("《中华人民共和国人民防空法》",),
        materials=("人防工程平面图", "拆除补建方案"),
        items=(
            "人防工程拆除审批", "防空地下室易地建设审批", "人民防空警报设施拆除审批",
            "人民防空工程改造审批",
        ),
    ),
    Department(
        name="市地震局", ministry="中国地震局", topic="防震减灾",
        offices=("震害防御科",),
        laws=("《中华人民共和国防震减灾法》", "《地震监测管理条例》"),
        materials=("地震安全性评价报告",),
        items=("建设工程地震安全性评价结果审定", "迁移地震监测设施审批"),
    ),
    Department(
        name="市气象局", ministry="中国气象局", topic="气象管理",
        offices=("法规与减灾科", "防雷管理科"),
        laws=(
            "《中华人民共和国气象法》", "《气象设施和气象探测环境保护条例》",
            "《通用航空飞行管制条例》",
        ),
        materials=("防雷装置设计图纸", "施放方案"),
        items=(
            "雷电防护装置设计审核", "雷电防护装置竣工验收",
            "升放无人驾驶自由气球或者系留气球活动审批",
            "新建、扩建、改建建设工程避免危害气象探测环境审批",
        ),
    ),
    Department(
        name="市消防救援支队", ministry="应急管理部", topic="消防安全",
        offices=("防火监督处", "法制处"),
        laws=("《中华人民共和国消防法》",),
        materials=("消防安全制度", "场所平面图"),
        items=("公众聚集场所投入使用、营业前消防安全检查", "举办大型群众性活动消防安全检查"),
    ),
    Department(
        name="市烟草专卖局", ministry="国家烟草专卖局", topic="烟草专卖",
        offices=("专卖管理科",),
        laws=("《中华人民共和国烟草专卖法》", "《中华人民共和国烟草专卖法实施条例》"),
        materials=("经营场所证明",),
        items=("烟草专卖零售许可证核发", "烟草专卖品准运证核发"),
    ),
    Department(
        name="市邮政管理局", ministry="国家邮政局", topic="快递市场",
        offices=("市场监管科",),
        laws=("《中华人民共和国邮政法》", "《快递暂行条例》"),
        materials=("服务网点清单", "安全保障制度"),
        items=("快递业务经营许可", "邮政企业撤销提供邮政普遍服务的邮政营业场所审批"),
    ),
    Department(
        name="市税务局", ministry="国家税务总局", topic="税收征管",
        offices=("征收管理科", "货物和劳务税科"),
        laws=("《中华人民共和国税收征收管理法》", "《中华人民共和国发票管理办法》"),
        materials=("纳税情况说明", "财务报表"),
        items=(
            "增值税专用发票（增值税税控系统）最高开票限额审批", "对纳税人延期申报的核准",
            "对纳税人变更纳税定额的核准", "印制有本单位名称发票审批",
        ),
    ),
    Department(
        name="市地方金融监督管理局", ministry="国家金融监督管理总局", topic="地方金融",
        offices=("地方金融监管科",),
        laws=("《融资担保公司监督管理条例》",),
        materials=("出资人资信证明", "公司章程草案"),
        items=("小额贷款公司设立审核", "融资担保公司设立审批", "融资担保公司变更审批"),
    ),
    Department(
        name="市粮食和物资储备局", ministry="国家粮食和物资储备局", topic="粮食流通",
        offices=("粮食流通科",),
        laws=("《粮食流通管理条例》",),
        materials=("仓储设施证明", "检验设备清单"),
        items=("粮食收购资格认定", "地方储备粮承储资格认定"),
    ),
    Department(
        name="市档案局", ministry="国家档案局", topic="档案管理",
        offices=("档案监督指导科",),
        laws=("《中华人民共和国档案法》",),
        materials=("档案目录",),
        items=("延期向档案馆移交档案审批", "集体和个人所有档案出卖、转让审批"),
    ),
    Department(
        name="市海洋发展局", ministry="自然资源部", topic="海域使用",
        offices=("海域海岛管理科", "渔业科"),
        laws=("《中华人民共和国海域使用管理法》", "《中华人民共和国海岛保护法》"),
        materials=("海域使用论证报告", "宗海图"),
        items=("海域使用权审核", "无居民海岛开发利用审核", "海洋工程建设项目环境影响报告书核准"),
    ),
    Department(
        name="市港口管理局", ministry="交通运输部", topic="港口管理",
        offices=("港口运营科", "港口安全科"),
        laws=("《中华人民共和国港口法》", "《港口危险货物安全管理规定》"),
        materials=("岸线使用方案", "安全评价报告"),
        items=(
            "港口岸线使用审批", "危险货物港口作业认可", "港口设施保安证书核发",
            "在港口水域内进行采掘、爆破等活动审批",
        ),
    ),
    Department(
        name="市地方海事局", ministry="交通运输部", topic="水上交通安全",
        offices=("船舶检验科", "通航管理科"),
        laws=("《中华人民共和国内河交通安全管理条例》", "《中华人民共和国船舶登记条例》"),
        materials=("船舶检验证书", "通航安全评估报告"),
        items=(
            "通航水域岸线安全使用和水上水下活动许可", "船舶国籍证书核发", "船员适任证书核发",
            "船舶载运危险货物进出港口审批",
        ),
    ),
    Department(
        name="市无线电管理局", ministry="工业和信息化部", topic="无线电管理",
        offices=("频率台站管理科",),
        laws=("《中华人民共和国无线电管理条例》",),
        materials=("设备型号核准证明", "技术方案"),
        items=("无线电台（站）设置审批", "无线电频率使用许可"),
    ),
    Department(
        name="市国家安全局", ministry="国家安全部", topic="国家安全",
        offices=("建设项目管理科",),
        laws=("《中华人民共和国国家安全法》",),
        materials=("建设项目选址说明",),
        items=("涉及国家安全事项的建设项目审批",),
    ),
    Department(
        name="市水文局", ministry="水利部", topic="水文监测",
        offices=("水文水资源科",),
        laws=("《中华人民共和国水文条例》",),
        materials=("工程影响评价报告",),
        items=(
            "在水文监测环境保护范围内从事爆破等活动审批",
            "国家基本水文测站上下游建设影响水文监测工程审批",
        ),
    ),
    Department(
        name="市公安局交通警察支队", ministry="公安部", topic="道路交通",
        offices=("车辆管理所", "秩序科", "法制科"),
        laws=(
            "《中华人民共和国道路交通安全法》", "《中华人民共和国道路交通安全法实施条例》",
            "《校车安全管理条例》",
        ),
        materials=("机动车来历证明", "驾驶人身体条件证明", "交通组织方案"),
        items=(
            "机动车登记", "机动车驾驶证核发", "校车驾驶资格许可", "占用道路从事非交通活动审批",
            "机动车通行证核发", "剧毒化学品道路运输通行证核发", "机动车临时通行牌证核发",
            "机动车检验合格标志核发", "校车标牌核发",
        ),
    ),
    Department(
        name="市公安局出入境管理支队", ministry="公安部", topic="出入境管理",
        offices=("证件科", "外国人管理科"),
        laws=("《中华人民共和国出境入境管理法》", "《中国公民往来台湾地区管理办法》"),
        materials=("居民身份证", "近期免冠照片"),
        items=(
            "普通护照签发", "往来港澳通行证及签注签发", "大陆居民往来台湾通行证及签注签发",
            "外国人签证延期审批",
        ),
    ),
    Department(
        name="市盐务管理局", ministry="工业和信息化部", topic="食盐专营",
        offices=("盐政科",),
        laws=("《食盐专营办法》",),
        materials=("仓储设施证明",),
        items=("食盐定点批发企业审批", "食盐准运证核发"),
    ),
    Department(
        name="市机构编制委员会办公室", ministry="中央机构编制委员会办公室", topic="事业单位登记",
        offices=("事业单位登记管理科",),
        laws=("《事业单位登记管理暂行条例》",),
        materials=("举办单位批准文件", "开办资金证明"),
        items=("事业单位设立登记", "事业单位变更登记", "事业单位注销登记"),
    ),
    Department(
        name="市国家保密局", ministry="国家保密局", topic="保密管理",
        offices=("保密技术科",),
        laws=("《中华人民共和国保守国家秘密法》",),
        materials=("保密管理制度", "涉密人员名单"),
        items=("国家秘密载体印制资质初审", "涉密信息系统集成资质初审"),
    ),
    Department(
        name="市人民政府外事侨务办公室", ministry="国务院侨务办公室", topic="侨务",
        offices=("侨务科",),
        laws=("《中华人民共和国归侨侨眷权益保护法》",),
        materials=("华侨身份证明",),
        items=("华侨回国定居审核",),
    ),
    Department(
        name="市轨道交通建设管理办公室", ministry="交通运输部", topic="轨道交通",
        offices=("安全保护科",),
        laws=("《城市轨道交通运营管理规定》",),
        materials=("作业方案", "安全防护方案"),
        items=("城市轨道交通控制保护区内作业审批",),
    ),
)

INVESTMENT_ITEMS: dict[str, tuple[str, ...]] = {
    "市发展和改革委员会": (
        "政府投资项目建议书审批", "政府投资项目可行性研究报告审批",
        "政府投资项目初步设计及概算审批", "企业投资项目核准", "企业投资项目备案",
        "外商投资项目备案", "固定资产投资项目节能审查", "政府投资项目概算调整审批",
        "建设项目招标范围、招标方式和招标组织形式核准",
    ),
    "市自然资源和规划局": (
        "建设项目用地预审与选址意见书核发", "国有建设用地使用权划拨审批", "农用地转用审批",
        "建设项目压覆矿产资源审查", "建设项目规划条件核定", "建设项目用地审批", "土地征收审查",
        "建设项目规划设计方案联合审查",
    ),
    "市住房和城乡建设局": (
        "房屋建筑工程初步设计审批", "市政基础设施工程初步设计审批", "城市基础设施配套费减免审批",
        "建设工程竣工联合验收", "施工图设计文件审查合格书核发", "建设工程招标方案核准",
        "新建住宅小区配套设施验收", "建设项目人防与消防联合审查",
    ),
    "市生态环境局": (
        "建设项目环境影响报告书审批", "建设项目环境影响报告表审批", "建设项目竣工环境保护验收",
        "建设项目环境影响登记表备案",
    ),
    "市水利局": (
        "生产建设项目水土保持方案审批", "生产建设项目水土保持设施验收", "水利工程初步设计审批",
        "洪水影响评价审批", "建设项目水资源论证报告书审批", "水利工程开工审批",
    ),
    "市交通运输局": (
        "公路建设项目初步设计审批", "公路建设项目施工图设计审批", "公路建设项目施工许可",
        "港口建设项目初步设计审批", "公路建设项目交工验收审查",
    ),
    "市林业局": ("建设项目使用林地审核", "建设项目占用湿地审批", "建设项目使用草原审核"),
    "市人民防空办公室": (
        "结合民用建筑修建防空地下室审批", "人民防空工程施工图设计审查", "人民防空工程竣工验收",
    ),
    "市应急管理局": ("危险化学品建设项目安全条件审查", "金属冶炼建设项目安全设施设计审查"),
    "市气象局": ("新建建筑物防雷装置设计技术评价", "大型建设项目气候可行性论证审查"),
    "市文物局": ("基本建设工程文物考古调查勘探审批",),
    "市地震局": ("建设工程抗震设防要求确定",),
    "市园林绿化局": ("建设项目附属绿化工程设计方案审批",),
}
# fmt: on

# Items carried out in parts: the 事项名称 cell is merged over one row per 子项名称.
SUB_ITEMS: dict[tuple[str, str], tuple[str, str]] = {
    ("市民政局", "社会团体登记"): ("社会团体成立登记", "社会团体变更登记"),
    ("市自然资源和规划局", "建设工程规划许可证核发"): ("建筑类工程", "市政管线类工程"),
    ("市交通运输局", "道路旅客运输经营许可"): ("班车客运经营许可", "包车客运经营许可"),
    ("市市场监督管理局", "食品经营许可"): ("食品经营许可新办", "食品经营许可延续"),
}

# Decisions that real clean-ups took for these items; the rest are drawn by the quotas.
DECISION_HINTS: dict[str, str] = {
    "价格评估机构资质认定": CANCELLED,
    "煤炭经营许可": CANCELLED,
    "科技成果鉴定": CANCELLED,
    "会计从业资格证书核发": CANCELLED,
    "政府采购代理机构资格认定": CANCELLED,
    "台港澳人员在内地就业许可": CANCELLED,
    "职业技能鉴定机构设立审批": CANCELLED,
    "养老机构设立许可": CHANGED,
    "房屋建筑和市政基础设施工程招标代理机构资格认定": CANCELLED,
    "物业服务企业资质核定": CANCELLED,
    "城市房屋拆迁许可": CANCELLED,
    "白蚁防治单位资质审批": CANCELLED,
    "城市绿化工程施工单位资质审批": CANCELLED,
    "环境污染治理设施运营资质认可": CANCELLED,
    "机动车维修经营许可": CHANGED,
    "开发建设项目水土保持设施竣工验收": CANCELLED,
    "农业机械维修技术合格证核发": CANCELLED,
    "酒类商品批发许可": CANCELLED,
    "酒类商品零售许可": CANCELLED,
    "广告发布登记": CANCELLED,
    "户外广告登记": CANCELLED,
    "制造、修理计量器具许可": CANCELLED,
    "木材运输证核发": CANCELLED,
    "木材经营加工许可": CANCELLED,
    "粮食收购资格认定": CANCELLED,
    "食盐准运证核发": CANCELLED,
    "安全评价机构资质认可": CANCELLED,
    "建设项目竣工环境保护验收": CANCELLED,
    "生产建设项目水土保持设施验收": CANCELLED,
    "建设项目环境影响登记表备案": CHANGED,
    "企业投资项目备案": RETAINED,
    "外商投资项目备案": RETAINED,
}

DECISION_WORDINGS: dict[str, tuple[tuple[str, int], ...]] = {
    RETAINED: (("保留", 55), ("予以保留", 20), ("暂予保留", 10), ("拟保留", 15)),
    CANCELLED: (("取消", 45), ("拟取消", 25), ("建议取消", 15), ("取消审批", 15)),
    DELEGATED: (("下放", 40), ("下放至县级", 35), ("下放至区（县）", 25)),
    CHANGED: (
        ("转变管理方式", 30),
        ("调整为备案管理", 25),
        ("实行告知承诺制", 20),
        ("调整为内部管理事项", 10),
        ("调整为日常监管", 15),
    ),
}
MERGE_WORDINGS = ("合并至“{}”", "并入“{}”")

REMARKS: dict[str, tuple[str, ...]] = {
    CANCELLED: ("设定依据为规范性文件", "国务院已明确取消", "加强事中事后监管"),
    DELEGATED: ("下放后由区县行政审批部门实施", "市本级保留指导监督职能"),
    MERGED: ("合并后统一受理、一次办结",),
    CHANGED: ("改为事中事后监管", "由申请人书面承诺符合条件"),
    RETAINED: ("涉及并联审批", "与相关部门联合办理", "纳入政务服务中心集中办理"),
}

GENERIC_MATERIALS = (
    "申请书",
    "申请表",
    "营业执照",
    "法定代表人身份证明",
    "授权委托书",
    "场所使用权证明",
    "章程",
    "专业技术人员资格证明",
    "管理制度文本",
)
INVESTMENT_MATERIALS = (
    "项目申请报告",
    "可行性研究报告",
    "用地预审意见",
    "规划选址意见",
    "环境影响评价文件",
    "节能报告",
    "初步设计文件",
    "投资估算书",
    "项目单位营业执照",
    "资金来源证明",
)

# Statutory limits (working days) and how often they occur among retained items.
STATUTORY_LADDER = {
    LICENSING: ((3, 2), (5, 5), (7, 4), (10, 8), (15, 8), (20, 50), (30, 12), (45, 4), (60, 3)),
    INVESTMENT: ((10, 1), (15, 1), (20, 4), (30, 5), (45, 4), (60, 5), (90, 2), (120, 1)),
}
ORIGINAL_SHARE = {LICENSING: 0.45, INVESTMENT: 0.40}

# Retained items with limits of a few days or hours, as
# (statutory text, original text or "", after text, before days, after days). Their fractions
# give the totals theirs: licensing before 3 × .5 = 1.5 and after 2.5 (3659.5, 2025.5);
# investment before .5 + .375 = .875 and after .25 (1194.875, 685.25).
SPECIAL_LIMITS: dict[str, tuple[tuple[str, str, str, float, float], ...]] = {
    LICENSING: (
        ("5个工作日", "4小时", "即办", 0.5, 0.0),
        ("3个工作日", "0.5个工作日", "2小时", 0.5, 0.25),
        ("10个工作日", "4小时", "2小时", 0.5, 0.25),
        ("1个工作日", "", "4小时", 1.0, 0.5),
        ("2个工作日", "", "0.5个工作日", 2.0, 0.5),
        ("1个工作日", "", "即办", 1.0, 0.0),
        ("3个工作日", "", "1小时", 3.0, 0.125),
        ("2个工作日", "", "3小时", 2.0, 0.375),
        ("3个工作日", "", "4小时", 3.0, 0.5),
        ("3个工作日", "1个工作日", "即办", 1.0, 0.0),
    ),
    INVESTMENT: (
        ("5个工作日", "4小时", "2小时", 0.5, 0.25),
        ("3个工作日", "3小时", "即办", 0.375, 0.0),
    ),
}
QUICK_WORDS = ("登记", "核发", "注册", "认定", "备案", "签发")

# Step kinds: (responsible office role, responsible person role, weight in sharing the limit).
STEP_ROLES: dict[str, tuple[str, str, float]] = {
    "受理": ("审批科", "科员", 1.0),
    "登记": ("办公室", "科员", 0.3),
    "流转": ("办公室", "科员", 0.3),
    "初审": ("业务科", "科员", 3.0),
    "审查": ("业务科", "科长", 4.0),
    "现场勘查": ("业务科", "科员", 3.0),
    "专家评审": ("业务科", "科长", 0.0),
    "复审": ("法规科", "科长", 2.5),
    "审核": ("审批科", "科长", 2.0),
    "集体讨论": ("会议", "主要领导", 1.5),
    "审批": ("分管领导", "分管领导", 1.5),
    "签发": ("主要领导", "主要领导", 1.0),
    "公示": ("审批科", "科员", 0.0),
    "决定": ("审批科", "科长", 1.0),
    "办结": ("审批科", "科员", 0.5),
    "送达": ("审批科", "科员", 0.5),
    "征求意见": ("其他业务科", "科长", 2.0),
    "会审": ("其他业务科", "科长", 2.0),
    "合法性审查": ("法规科", "科员", 2.0),
}
# The most working days a step of these kinds takes while other steps can take the rest.
STEP_CAPS = {"受理": 1.0, "登记": 2.0, "流转": 2.0, "签发": 3.0, "决定": 3.0, "办结": 2.0, "送达": 3.0}
UNCOUNTED = ("专家评审", "公示")
PARALLEL_SIBLINGS = ("现场勘查", "征求意见", "会审", "合法性审查")
REVIEWS = ("初审", "审查", "复审", "审核", "现场勘查")
# Steps dropped first when a short limit cannot give every step a day.
DROP_ORDER = ("登记", "流转", "初审", "复审", "签发", "决定", "集体讨论", "现场勘查", "审核")

# --------------------------------------------------------------------------- text helpers

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """A whole number below 1000 in Chinese numerals, as limits are written.

    >>> chinese_numeral(20), chinese_numeral(15), chinese_numeral(45), chinese_numeral(120)
    ('二十', '十五', '四十五', '一百二十')
    """
    if not 0 <= n < 1000:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = _DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _DIGITS[rest]
    return head + _DIGITS[rest // 10] + "十" + (_DIGITS[rest % 10] if rest % 10 else "")


def duration_text(days: float, rng: random.Random) -> str:
    """A step's time limit as written: 即办, hours below a day, else (half) working days.

    >>> r = random.Random(0)
    >>> duration_text(0, r), duration_text(0.25, r), duration_text(3, r), duration_text(2.5, r)
    ('即办', '2小时', '3个工作日', '2.5个工作日')
    """
    if days == 0:
        return "即办"
    if days == 0.5:
        return rng.choice(("0.5个工作日", "4小时"))
    if days < 1:
        return f"{round(days * 8)}小时"
    if days == int(days):
        return f"{int(days)}个工作日"
    if days * 2 == int(days * 2):
        return f"{days:g}个工作日"
    raise ValueError(f"no spelling for {days} working days")


def limit_cell(
    days: float, rng: random.Random, *, sheet: str, note: str = "", plain: bool = False
) -> str | int:
    """An item's whole-day limit in one of the spellings real lists use (a bare number is an int).

    ``note`` names time not counted (专家评审, 公示) and is written in brackets after the number.
    """
    n = int(days)
    if days != n:
        raise ValueError(days)
    suffix = f"（不含{note}时间）" if note else ""
    choices = [("arabic", 50), ("chinese", 18), ("number", 15), ("ri", 12)]
    if plain or sheet != LICENSING:
        choices = [c for c in choices if c[0] != "ri"]  # "20日" only where 日 means working days
    if note:
        choices = [c for c in choices if c[0] != "number"]
    kind = _weighted(rng, choices)
    if kind == "number":
        return n
    if kind == "chinese":
        return f"{chinese_numeral(n)}个工作日{suffix}"
    if kind == "ri":
        return f"{n}日{suffix}"
    return f"{n}个工作日{suffix}"


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int | float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# --------------------------------------------------------------------------- the tables


@dataclass
class Item:
    """One row of the clean-up list (a sub-item row is an item of its own)."""

    sheet: str
    department: str
    name: str
    sub_name: str = ""
    code: str = ""
    decision: str = ""
    decision_text: str = ""
    legal_basis: str = ""
    statutory: float | None = None  # None: 法律未规定
    original: float | None = None
    before: float = 0.0
    after: float | None = None
    statutory_text: str | int = ""
    original_text: str | int = ""
    after_text: str | int = ""
    fee: str = "否"
    fee_basis: str = ""
    materials: list[str] = field(default_factory=list)
    remarks: str = ""
    special: bool = False
    before_note: str = ""  # time the before limit does not count (专家评审 / 公示)
    after_note: str = ""

    @property
    def has_sub(self) -> bool:
        return bool(self.sub_name)

    @property
    def step_name(self) -> str:
        return f"{self.name}（{self.sub_name}）" if self.sub_name else self.name


@dataclass
class Step:
    """One step of one process version of one retained item."""

    item: Item
    version: str  # 再造前 / 再造后
    no: int
    name: str
    office: str
    person: str
    days: float
    text: str
    preds: tuple[int, ...]
    written_preds: str | int  # what the 前置环节 cell holds ("" = the previous step)
    materials: str
    counted: bool
    counted_text: str


@dataclass
class Sample:
    """The generated clean-up lists (per sheet) and the steps of every retained item."""

    items: dict[str, list[Item]]
    steps: list[Step]


def build_sample(seed: int = SEED) -> Sample:
    """Build the sample's rows from ``seed`` alone; the same seed gives the same rows."""
    rng = random.Random(seed)
    departments = {d.name: d for d in DEPARTMENTS}
    items = {LICENSING: _licensing_rows(), INVESTMENT: _investment_rows()}
    steps: list[Step] = []
    for sheet, rows in items.items():
        _assign_codes(rows, sheet)
        _assign_decisions(rows, sheet, rng)
        for item in rows:
            _describe(item, departments[item.department], rng)
        _assign_limits(rows, sheet, rng)
        for item in rows:
            if item.decision == RETAINED:
                steps += _processes(item, departments[item.department], rng)
        for item in rows:
            _write_limits(item, rng)
    return Sample(items=items, steps=steps)


def _licensing_rows() -> list[Item]:
    """389 named items (trimmed from the vocabulary) and 4 of them in two parts: 393 rows."""
    names = {d.name: list(d.items) for d in DEPARTMENTS}
    target = sum(QUOTAS[LICENSING].values()) - len(SUB_ITEMS)
    protected = {name for _, name in SUB_ITEMS} | set(DECISION_HINTS)
    while sum(len(v) for v in names.values()) > target:
        dept = max(names, key=lambda d: len(names[d]))
        drop = next(n for n in reversed(names[dept]) if n not in protected)
        names[dept].remove(drop)
    rows = []
    for dept, dept_names in names.items():
        if len(set(dept_names)) != len(dept_names):
            raise ValueError(f"duplicate item names in {dept}")
        for name in dept_names:
            subs = SUB_ITEMS.get((dept, name))
            if subs:
                rows += [Item(LICENSING, dept, name, sub_name=s) for s in subs]
            else:
                rows.append(Item(LICENSING, dept, name))
    return rows


def _investment_rows() -> list[Item]:
    order = [d.name for d in DEPARTMENTS]
    rows = [
        Item(INVESTMENT, dept, name)
        for dept in sorted(INVESTMENT_ITEMS, key=order.index)
        for name in INVESTMENT_ITEMS[dept]
    ]
    if len(rows) != sum(QUOTAS[INVESTMENT].values()):
        raise ValueError(f"{len(rows)} investment items")
    return rows


def _assign_codes(rows: list[Item], sheet: str) -> None:
    number = 0
    previous = None
    for item in rows:
        if not (item.has_sub and previous == (item.department, item.name)):
            number += 1
            part = 0
        base = f"{CITY_CODE}-{CODE_KINDS[sheet]}-{number:04d}"
        if item.has_sub:
            part += 1
            item.code = f"{base}-{part:02d}"
        else:
            item.code = base
        previous = (item.department, item.name)


def _assign_decisions(rows: list[Item], sheet: str, rng: random.Random) -> None:
    """Decision classes by the published quotas, merges absorbed by a retained item of the dept."""
    left = dict(QUOTAS[sheet])
    free = []
    for item in rows:
        hint = DECISION_HINTS.get(item.name)
        if hint and not item.has_sub:
            item.decision = hint
            left[hint] -= 1
        else:
            free.append(item)
    pool = [d for d, n in left.items() for _ in range(n)]
    rng.shuffle(pool)
    # sub-item rows take no merge: keep merges on whole items
    free.sort(key=lambda it: it.has_sub, reverse=True)
    for item in free:
        choice = next(d for d in pool if not (item.has_sub and d == MERGED))
        pool.remove(choice)
        item.decision = choice
    if pool:
        raise AssertionError(f"{len(pool)} decisions left over: the vocabulary is short")
    _repair_merges(rows, rng)
    for item in rows:
        if item.decision == MERGED:
            targets = _merge_targets(rows, item.department)
            target = rng.choice(targets)
            item.decision_text = rng.choice(MERGE_WORDINGS).format(target.name)
        else:
            item.decision_text = _weighted(rng, DECISION_WORDINGS[item.decision])


def _merge_targets(rows: list[Item], department: str) -> list[Item]:
    return [it for it in rows if it.department == department and it.decision == RETAINED and not it.has_sub]


def _repair_merges(rows: list[Item], rng: random.Random) -> None:
    """Swap decisions so that every merged item's department keeps a retained item to absorb it."""
    for item in rows:
        if item.decision != MERGED or _merge_targets(rows, item.department):
            continue
        swaps = [
            other
            for other in rows
            if other.department != item.department
            and other.decision in (CANCELLED, DELEGATED, CHANGED)
            and not other.has_sub
            and other.name not in DECISION_HINTS
            and _merge_targets(rows, other.department)
        ]
        other = rng.choice(swaps)
        item.decision, other.decision = other.decision, item.decision
    for item in rows:
        if item.decision == MERGED and not _merge_targets(rows, item.department):
            raise AssertionError(f"no merge target for {item.name}")


def _closest_law(name: str, laws: Sequence[str], rng: random.Random) -> str:
    """The department's law sharing most two-character words with the item's name.

    >>> _closest_law("民办学校设立审批", ("《教师资格条例》", "《民办教育促进法》"), random.Random(0))
    '《民办教育促进法》'
    """
    pairs = {name[i : i + 2] for i in range(len(name) - 1)}
    scores = [sum(1 for i in range(len(law) - 1) if law[i : i + 2] in pairs) for law in laws]
    best = [law for law, score in zip(laws, scores, strict=True) if score == max(scores)]
    return rng.choice(best)


def _legal_basis(item: Item, dept: Department, rng: random.Random) -> str:
    weights = {
        CANCELLED: (25, 10, 15, 25, 25),
        RETAINED: (58, 15, 20, 5, 2),
    }.get(item.decision, (45, 15, 20, 12, 8))
    tier = _weighted(rng, list(zip(("law", "412", "local", "rule", "norm"), weights, strict=True)))
    article = chinese_numeral(rng.randint(5, 80))
    if tier == "law":
        text = f"{_closest_law(item.name, dept.laws, rng)}第{article}条"
        if rng.random() < 0.2:
            other = f"《示例省{dept.topic}管理条例》第{chinese_numeral(rng.randint(3, 40))}条"
            text = f"{text}；{other}"
        return text
    if tier == "412":
        return (
            "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）"
            f"第{rng.randint(1, 500)}项"
        )
    if tier == "local":
        return f"《示例省{dept.topic}管理条例》第{article}条"
    if tier == "rule":
        return f"《{dept.topic}管理办法》（{dept.ministry}令第{rng.randint(1, 60)}号）第{article}条"
    year = rng.randint(2001, 2008)
    return (
        f"示例市人民政府办公室关于加强{dept.topic}管理工作的通知（示政办发〔{year}〕{rng.randint(3, 90)}号）"
    )


def _describe(item: Item, dept: Department, rng: random.Random) -> None:
    """Legal basis, fee, materials and remarks: the columns no figure depends on."""
    item.legal_basis = _legal_basis(item, dept, rng)
    if rng.random() < 0.06:
        item.fee = "是"
        item.fee_basis = f"《示例省物价局 财政厅关于{dept.topic}收费标准的通知》"
    if item.sheet == INVESTMENT:
        own = rng.sample(INVESTMENT_MATERIALS, rng.randint(3, 5))
    else:
        own = rng.sample(GENERIC_MATERIALS, 2)
        own += rng.sample(dept.materials, min(len(dept.materials), rng.randint(1, 3)))
    item.materials = own
    if rng.random() < (0.08 if item.decision == RETAINED else 0.25):
        item.remarks = rng.choice(REMARKS[item.decision])


def _ladder_step(ladder: list[int], value: int, up: bool) -> int:
    i = ladder.index(value) + (1 if up else -1)
    return ladder[min(max(i, 0), len(ladder) - 1)]


def _assign_limits(rows: list[Item], sheet: str, rng: random.Random) -> None:
    """Limits of every item; the retained ones sum exactly to the published before / after."""
    retained = [it for it in rows if it.decision == RETAINED]
    quick = [it for it in retained if not it.has_sub and any(w in it.name for w in QUICK_WORDS)]
    specials_for = [it for it in quick if it.name in DECISION_HINTS] or []
    rest_quick = [it for it in quick if it not in specials_for]
    rng.shuffle(rest_quick)
    chosen = (specials_for + rest_quick)[: len(SPECIAL_LIMITS[sheet])]
    for item, (stat, orig, after, before_days, after_days) in zip(chosen, SPECIAL_LIMITS[sheet], strict=True):
        item.special = True
        item.statutory_text, item.original_text, item.after_text = stat, orig, after
        item.before, item.after = before_days, after_days
    normal = [it for it in retained if not it.special]
    before_target, after_target = TARGET_SUMS[sheet]
    special = [it for it in retained if it.special]
    before_left = before_target - sum(it.before for it in special)
    after_left = after_target - sum(it.after or 0.0 for it in special)
    if before_left != int(before_left) or after_left != int(after_left):
        raise AssertionError("special limits leave a fraction")
    _draw_before(normal, sheet, int(before_left), rng)
    _draw_after(normal, int(after_left), rng)
    for item in rows:
        if item.decision != RETAINED:
            _streamlined_limits(item, sheet, rng)


def _draw_before(items: list[Item], sheet: str, total: int, rng: random.Random) -> None:
    """Statutory limits from the ladder, then original commitments shaving the excess to ``total``."""
    pairs = STATUTORY_LADDER[sheet]
    ladder = [v for v, _ in pairs]
    statutory = [rng.choices(ladder, weights=[w for _, w in pairs])[0] for _ in items]
    low, high = int(total * 1.10), int(total * 1.16)
    while not low <= sum(statutory) <= high:
        i = rng.randrange(len(items))
        statutory[i] = _ladder_step(ladder, statutory[i], up=sum(statutory) < low)
    has_original = [rng.random() < ORIGINAL_SHARE[sheet] for _ in items]
    original = list(statutory)
    excess = sum(statutory) - total
    while excess > 0:
        open_ = [i for i in range(len(items)) if has_original[i] and original[i] > (statutory[i] + 1) // 2]
        if not open_:
            spare = [i for i in range(len(items)) if not has_original[i]]
            has_original[rng.choice(spare)] = True
            continue
        i = rng.choice(open_)
        cut = min(excess, rng.choice((1, 1, 2, 3, 5)), original[i] - (statutory[i] + 1) // 2)
        original[i] -= cut
        excess -= cut
    for i, item in enumerate(items):
        item.statutory = float(statutory[i])
        item.original = float(original[i]) if has_original[i] else None
        item.before = float(original[i])
    # a few retained items have no statutory limit but an original commitment
    unlimited = [it for it in items if it.original is not None and it.sheet == LICENSING]
    for item in rng.sample(unlimited, min(2, len(unlimited))):
        item.statutory = None


def _draw_after(items: list[Item], total: int, rng: random.Random) -> None:
    """New commitments at 35-75% of before, a few unchanged, adjusted to sum to ``total``."""
    fixed = set()
    for i, item in enumerate(items):
        if rng.random() < 0.04:
            item.after = item.before
            fixed.add(i)
        else:
            item.after = float(max(1, round(item.before * rng.uniform(0.35, 0.75))))
            item.after = min(item.after, item.before - 1) if item.before > 1 else item.after
    diff = total - sum(it.after or 0.0 for it in items)
    movable = [i for i in range(len(items)) if i not in fixed]
    for _ in range(100_000):
        if diff == 0:
            break
        i = rng.choice(movable)
        after = items[i].after or 0.0
        if diff > 0 and after < items[i].before - 1:
            items[i].after = after + 1
            diff -= 1
        elif diff < 0 and after > 1:
            items[i].after = after - 1
            diff += 1
    else:
        raise AssertionError("new commitments cannot reach their total")


def _streamlined_limits(item: Item, sheet: str, rng: random.Random) -> None:
    """Limits of items that leave the list: varied, sometimes none, no new commitment mostly."""
    r = rng.random()
    if r < 0.07:
        item.statutory_text = rng.choice(("法律未规定", "法律未规定", "无"))
    elif r < 0.10:
        item.statutory_text = rng.choice(("30天", "当场办结"))
    else:
        pairs = STATUTORY_LADDER[sheet]
        value = rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]
        item.statutory_text = limit_cell(value, rng, sheet=sheet)
        if rng.random() < 0.3:
            item.original_text = limit_cell(max(1, value * 2 // 3), rng, sheet=sheet)
    if item.decision == CHANGED and rng.random() < 0.4:
        item.after_text = "即办"


def _write_limits(item: Item, rng: random.Random) -> None:
    """The retained items' limit cells, spelled variously; the note goes where before is read."""
    if item.decision != RETAINED or item.special:
        return
    before_column = "original" if item.original is not None else "statutory"
    if item.statutory is None:
        item.statutory_text = "法律未规定"
    else:
        note = item.before_note if before_column == "statutory" else ""
        item.statutory_text = limit_cell(item.statutory, rng, sheet=item.sheet, note=note)
    if item.original is not None:
        item.original_text = limit_cell(item.original, rng, sheet=item.sheet, note=item.before_note)
    after = item.after or 0.0
    item.after_text = "即办" if after == 0 else limit_cell(after, rng, sheet=item.sheet, note=item.after_note)


# --------------------------------------------------------------------------- processes


def critical_path(steps: Sequence[Step]) -> float:
    """The longest path over counted step durations (uncounted steps weigh 0) of one process.

    >>> s = [_bare(1, 1, ()), _bare(2, 3, (1,)), _bare(3, 2, (1,)), _bare(4, 1, (2, 3))]
    >>> critical_path(s)
    5.0
    """
    by_no = {s.no: s for s in steps}
    waiting = {s.no: set(s.preds) for s in steps}
    finish: dict[int, float] = {}
    ready = sorted(n for n, p in waiting.items() if not p)
    while ready:
        n = ready.pop(0)
        step = by_no[n]
        start = max((finish[p] for p in step.preds), default=0.0)
        finish[n] = start + (step.days if step.counted else 0.0)
        for m, p in waiting.items():
            if n in p:
                p.discard(n)
                if not p and m not in finish and m not in ready:
                    ready.append(m)
        ready.sort()
    if len(finish) != len(steps):
        raise ValueError("process has a cycle")
    return max(finish.values(), default=0.0)


def _bare(no: int, days: float, preds: tuple[int, ...]) -> Step:
    """A step with only what :func:`critical_path` reads (for its example)."""
    return Step(Item("", "", ""), "", no, "", "", "", days, "", preds, "", "", True, "")


def _leaders(department: str) -> tuple[str, str, str]:
    """(deputy, head, meeting) as the department's kind of body calls them."""
    if department.endswith("支队"):
        return "分管副支队长", "支队长", "支队务会"
    if department.endswith(("委员会", "办公室", "中心")):
        return "分管副主任", "主任", "主任办公会"
    return "分管副局长", "局长", "局务会"


def _allocate(total: float, names: list[str], rng: random.Random) -> list[float]:
    """Split ``total`` working days over the counted steps ``names`` (the chain of the process).

    Whole days where every step can have one, else half days, else hours; a remainder that is
    not a whole grain goes to 受理 on its own (e.g. 受理 "2小时").
    """
    n = len(names)
    if total == 0:
        return [0.0] * n
    if total * 8 < n:  # fewer hours than steps: the first steps are done on the spot (即办)
        hours = round(total * 8)
        return [0.0] * (n - hours) + [0.125] * hours
    for grain in (1.0, 0.5, 0.125):
        units = int(total // grain)
        if units >= n:
            break
    rest = total - units * grain
    days = [0.0] * n
    share = list(range(n))
    if rest:
        days[0] = rest
        share = list(range(1, n))
    for i in share:
        days[i] = grain
    for _ in range(units - len(share)):
        # steps that decide nothing stay short while another step can take the time
        open_ = [i for i in share if days[i] + grain <= STEP_CAPS.get(names[i], total)] or share
        weights = [STEP_ROLES[names[i]][2] for i in open_]
        days[rng.choices(open_, weights=weights)[0]] += grain
    if grain == 1.0 and not rest and days[0] == 1 and n > 2 and rng.random() < 0.3:
        days[0] = 0.5
        days[share[1]] += 0.5
    if abs(sum(days) - total) > 1e-9:
        raise AssertionError((total, days))
    return days


def _before_chain(total: float, rng: random.Random) -> list[str]:
    if total < 1:
        return ["受理", "审核", "决定"]
    if total < 4:
        return ["受理", "审查", "审批", "办结"]
    chain = ["受理"]
    optional = [
        ("登记", 0.3),
        ("初审", 0.6),
        ("审查", 1.0),
        ("现场勘查", 0.25),
        ("专家评审", 0.15 if total >= 10 else 0.0),
        ("复审", 0.5),
        ("审核", 0.7),
        ("集体讨论", 0.2 if total >= 10 else 0.0),
        ("流转", 0.2),
        ("审批", 1.0),
        ("签发", 0.5),
        ("公示", 0.08 if total >= 10 else 0.0),
        ("决定", 0.4),
    ]
    for name, p in optional:
        if rng.random() < p:
            chain.append(name)
    if "专家评审" in chain and "公示" in chain:
        chain.remove("公示")
    chain.append(rng.choice(("办结", "送达")))
    return _fit(chain, total)


def _after_chain(total: float, before: list[str], rng: random.Random) -> list[str]:
    if total == 0:
        return ["受理", "决定"]
    if total < 1:
        return ["受理", "审核", "决定"] if total * 8 >= 3 else ["受理", "决定"]
    if total < 3:
        return ["受理", "审查", "决定"]
    chain = ["受理", "审查"]
    if "现场勘查" in before and rng.random() < 0.6:
        chain.append("现场勘查")
    if "专家评审" in before and rng.random() < 0.5:
        chain.append("专家评审")
    if rng.random() < 0.4:
        chain.append("审核")
    chain.append(rng.choice(("审批", "决定")))
    if rng.random() < 0.5:
        chain.append("办结")
    return _fit(chain, total)


def _fit(chain: list[str], total: float) -> list[str]:
    """Drop optional steps until each counted step can have at least a whole day."""
    for name in DROP_ORDER:
        if sum(1 for s in chain if s not in UNCOUNTED) <= total:
            break
        if name in chain and len(chain) > 3:
            chain.remove(name)
    return chain


def _processes(item: Item, dept: Department, rng: random.Random) -> list[Step]:
    """The 再造前 and 再造后 processes of a retained item, each asserted against its limit."""
    before_chain = _before_chain(item.before, rng)
    after = item.after or 0.0
    after_chain = _after_chain(after, before_chain, rng)
    item.before_note = next((s for s in before_chain if s in UNCOUNTED), "")
    item.after_note = next((s for s in after_chain if s in UNCOUNTED), "")
    if item.special:
        item.before_note = item.after_note = ""
        before_chain = [s for s in before_chain if s not in UNCOUNTED]
        after_chain = [s for s in after_chain if s not in UNCOUNTED]
    steps = []
    parallel_before = item.before >= 4 and rng.random() < 0.3
    office = rng.choice(dept.offices)  # the business office that handles the item
    parallel_after = after >= 3 and rng.random() < 0.35
    for version, chain, total, parallel in (
        ("再造前", before_chain, item.before, parallel_before),
        ("再造后", after_chain, after, parallel_after),
    ):
        process = _process(item, dept, office, version, chain, total, parallel, rng)
        if critical_path(process) != total:
            raise AssertionError(f"{item.code} {version}: {critical_path(process)} != {total}")
        steps += process
    return steps


def _process(
    item: Item,
    dept: Department,
    office: str,
    version: str,
    chain: list[str],
    total: float,
    parallel: bool,
    rng: random.Random,
) -> list[Step]:
    counted_names = [s for s in chain if s not in UNCOUNTED]
    days = iter(_allocate(total, counted_names, rng))
    durations = [next(days) if s not in UNCOUNTED else 0.0 for s in chain]
    # a branch beside one review step: it waits for the same step and the next one waits for both
    branch_at = None
    if parallel:
        spots = [
            i for i, s in enumerate(chain) if s in REVIEWS and 0 < i < len(chain) - 1 and durations[i] >= 1
        ]
        if spots:
            branch_at = rng.choice(spots)
    sibling = ""
    if branch_at is not None:
        # after re-engineering, a review that ran in series now runs beside the other one
        options = ("审核", "现场勘查", "合法性审查") if version == "再造后" else PARALLEL_SIBLINGS
        sibling = rng.choice([s for s in options if s not in chain])
    deputy, head, meeting = _leaders(item.department)
    others = [o for o in dept.offices if o != office] or ["政策法规科"]
    mark_counted = rng.random() < 0.5
    steps: list[Step] = []
    number_of: dict[int, int] = {}
    for i, name in enumerate(chain):
        no = len(steps) + 1
        number_of[i] = no
        if i == 0:
            preds: tuple[int, ...] = ()
        elif branch_at is not None and i == branch_at + 1:
            preds = (number_of[branch_at], no - 1)
        elif branch_at is not None and i == branch_at:
            preds = (number_of[i - 1],)
        else:
            preds = (no - 1,)
        written: str | int = ""
        if branch_at is not None and i == branch_at:
            written = preds[0]
        elif branch_at is not None and i == branch_at + 1:
            written = "、".join(str(p) for p in preds)
        steps.append(
            _step(
                item,
                version,
                no,
                name,
                durations[i],
                preds,
                written,
                (office, others, deputy, head, meeting),
                mark_counted,
                rng,
            )
        )
        if i == branch_at:
            cap = durations[i]
            grain = 1.0 if cap >= 1 else 0.5
            length = grain * rng.randint(1, int(cap // grain))
            steps.append(
                _step(
                    item,
                    version,
                    no + 1,
                    sibling,
                    length,
                    preds,
                    preds[0],
                    (office, others, deputy, head, meeting),
                    mark_counted,
                    rng,
                )
            )
    return steps


def _step(
    item: Item,
    version: str,
    no: int,
    name: str,
    days: float,
    preds: tuple[int, ...],
    written: str | int,
    people: tuple[str, list[str], str, str, str],
    mark_counted: bool,
    rng: random.Random,
) -> Step:
    office, others, deputy, head, meeting = people
    role_office, role_person, _ = STEP_ROLES[name]
    offices = {
        "审批科": "行政审批科",
        "办公室": "办公室",
        "业务科": office,
        "其他业务科": others[0],
        "法规科": "政策法规科",
        "会议": meeting,
        "分管领导": "分管领导",
        "主要领导": "主要领导",
    }
    persons = {"科员": "科员", "科长": "科长", "分管领导": deputy, "主要领导": head}
    counted = name not in UNCOUNTED
    if counted:
        text = duration_text(days, rng)
        counted_text = "是" if mark_counted else ""
    else:
        text = (
            rng.choice(("10个工作日", "15个工作日", "20个工作日"))
            if name == "专家评审"
            else (rng.choice(("5个工作日", "7个工作日")))
        )
        counted_text = "否"
    return Step(
        item=item,
        version=version,
        no=no,
        name=name,
        office=offices[role_office],
        person=persons[role_person],
        days=days,
        text=text,
        preds=preds,
        written_preds=written,
        materials=_step_materials(name, item.materials, version, rng),
        counted=counted,
        counted_text=counted_text,
    )


def _step_materials(name: str, materials: list[str], version: str, rng: random.Random) -> str:
    if name == "受理":
        return "、".join(materials)
    if name in ("初审", "审查", "复审", "现场勘查", "专家评审", "审核", "会审", "征求意见"):
        most = 3 if version == "再造前" else 2
        return "、".join(rng.sample(materials, min(len(materials), rng.randint(1, most))))
    return ""


# --------------------------------------------------------------------------- writing


def write_sample(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the two workbooks into ``out_dir`` (created if missing); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = build_sample(seed)
    items_path = out_dir / ITEMS_FILE
    steps_path = out_dir / STEPS_FILE
    _write_items(items_path, sample)
    _write_steps(steps_path, sample)
    return [items_path, steps_path]


def _book(path: Path, title: str) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(
        {
            "title": title,
            "subject": "合成示例数据，非真实清单",
            "author": "示例市人民政府法制办公室",
            "company": "示例市人民政府法制办公室",
            "comments": "由 data/make_sample.py 生成的合成示例数据",
            "created": CREATED,
        }
    )
    return book


def _write_items(path: Path, sample: Sample) -> None:
    book = _book(path, "示例市行政审批事项清理汇总表（合成数据）")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    filler = book.add_format({"align": "left", "valign": "vcenter"})
    header = book.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#D9E1F2",
        }
    )
    cell = book.add_format({"valign": "vcenter", "text_wrap": True, "border": 1})
    merged = book.add_format({"align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    widths = (6, 20, 20, 30, 16, 10, 40, 14, 14, 14, 8, 20, 36, 20, 20)
    last_col = len(ITEM_HEADER) - 1
    for sheet_name, rows in sample.items.items():
        sheet = book.add_worksheet(sheet_name)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.merge_range(0, 0, 0, last_col, SHEET_TITLES[sheet_name], title)
        sheet.merge_range(1, 0, 1, last_col, FILLER_LINE, filler)
        sheet.write_row(2, 0, ITEM_HEADER, header)
        sheet.freeze_panes(3, 0)
        first = 3
        for offset, item in enumerate(rows):
            values = (
                offset + 1,
                item.department,
                item.code,
                item.name,
                item.sub_name,
                sheet_name,
                item.legal_basis,
                item.statutory_text,
                item.original_text,
                item.after_text,
                item.fee,
                item.fee_basis,
                "、".join(item.materials),
                item.decision_text,
                item.remarks,
            )
            for col, value in enumerate(values):
                if value == "":
                    sheet.write_blank(first + offset, col, None, cell)
                else:
                    sheet.write(first + offset, col, value, cell)
        # 实施部门 over each department's rows; 事项名称 over the rows of one item's sub-items
        for column, key in (
            (1, lambda it: it.department),
            (3, lambda it: (it.department, it.name) if it.has_sub else None),
        ):
            for start, end in _runs(rows, key):
                if end > start:
                    text = rows[start].department if column == 1 else rows[start].name
                    sheet.merge_range(first + start, column, first + end, column, text, merged)
        total_row = first + len(rows)
        retained = sum(1 for it in rows if it.decision == RETAINED)
        sheet.write(total_row, 0, "合计", header)
        sheet.write(total_row, 3, f"共{len(rows)}项", header)
        sheet.write(total_row, 13, f"保留{retained}项，精简{len(rows) - retained}项", header)
    book.close()


def _runs(rows: list[Item], key: Callable[[Item], object]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive rows sharing a key; a None key forms no run."""
    runs = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or key(rows[i]) != key(rows[start]) or key(rows[start]) is None:
            if key(rows[start]) is not None:
                runs.append((start, i - 1))
            start = i
    return runs


def _write_steps(path: Path, sample: Sample) -> None:
    book = _book(path, "示例市保留事项办理环节（合成数据）")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header = book.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#E2EFDA",
        }
    )
    cell = book.add_format({"valign": "vcenter", "text_wrap": True, "border": 1})
    sheet = book.add_worksheet(STEPS_SHEET)
    for col, width in enumerate((20, 30, 20, 10, 8, 12, 16, 12, 12, 10, 36, 8)):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, len(STEP_HEADER) - 1, STEPS_TITLE, title)
    sheet.write_row(1, 0, STEP_HEADER, header)
    sheet.freeze_panes(2, 0)
    for r, step in enumerate(sample.steps, start=2):
        values = (
            step.item.code,
            step.item.step_name,
            step.item.department,
            step.version,
            step.no,
            step.name,
            step.office,
            step.person,
            step.text,
            step.written_preds,
            step.materials,
            step.counted_text,
        )
        for col, value in enumerate(values):
            if value == "":
                sheet.write_blank(r, col, None, cell)
            else:
                sheet.write(r, col, value, cell)
    book.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the sample into ``--out`` (default data/sample)."""
    parser = argparse.ArgumentParser(description="生成合成示例数据（示例市行政审批事项清理）")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="输出目录（默认 data/sample）")
    parser.add_argument("--seed", type=int, default=SEED, help=f"随机种子（默认 {SEED}）")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, args.seed):
        print(f"已生成：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
