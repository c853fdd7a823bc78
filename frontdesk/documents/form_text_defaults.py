"""Built-in translations of the intake form, used whenever the editable files are missing,
unreadable or leave a key out.

The shipped files in ``resources/intake_form/<lang>/form.txt`` start as copies of these
texts (``form_texts.reference_file`` writes them); the clinic may edit those, never these.
Keys are described in :mod:`frontdesk.documents.form_texts`; English needs no entry here,
it is the program's own wording.
"""

from __future__ import annotations

_ZH: dict[str, str] = {
    # -- the words around the questions
    "title": "患者登记表及健康史",
    "intro.paper": (
        "请用工整的字迹填写，并在符合您情况的方框内打勾。您的回答会严格保密。这些信息帮助我们"
        "安全地为您治疗，请尽量回答每一个问题；如有不清楚的地方，请询问前台。"
    ),
    "intro.tablet": (
        "轻触方框即可打勾，轻触横线即可输入文字。您的回答会严格保密。这些信息帮助我们安全地为您"
        "治疗，请尽量回答每一个问题；如有不清楚的地方，请询问前台。"
    ),
    "running_title": "患者登记表",
    "footer": "填写后即为保密资料。",
    "page": "第 {page} 页，共 {total} 页",
    "months": "1,2,3,4,5,6,7,8,9,10,11,12",
    "date_format": "{year}年{month}月{day}日",
    "yes": "是",
    "no": "否",
    "with_hint": "{label}（{hint}）",
    "hint.date": "年-月-日，例如 2025-03-04",
    "body_map.tablet_intro": "请在有异常感觉的部位打勾；上面的图标出了各个部位的位置。",
    "body_mark": "{area}：{sensation}",
    "medications.medicine": "药物名称",
    "medications.dose": "剂量及服用次数",
    "medications.blood_thinner": "是否为抗凝血药？",
    "medication.name": "药物 {row}",
    "medication.dose": "剂量及服用次数（{row}）",
    "medication.anticoagulant": "抗凝血药（{row}）",
    "consent.intro": (
        "针灸及本诊所的其他疗法对大多数人是安全的，但和任何治疗一样，也有一定的风险。请逐条"
        "阅读，并在每一条前打勾，表示您已经了解。"
    ),
    "signature.hint": (
        "签名方法：轻触下面的方框，按照 PDF 应用的提示签名；也可以用手指或触控笔直接在方框里"
        "写下您的签名。"
    ),
    "signature.tooltip": "请在此签名",
    "view.foot.left.top": "左脚（脚背）",
    "view.foot.right.top": "右脚（脚背）",
    "view.foot.left.sole": "左脚底",
    "view.foot.right.sole": "右脚底",
    "view.hand.left.back": "左手（手背）",
    "view.hand.right.back": "右手（手背）",
    "view.hand.left.palm": "左手掌",
    "view.hand.right.palm": "右手掌",
    # -- sections
    "section.patient": "您的基本资料",
    "section.chief_complaint": "就诊原因",
    "section.pain": "疼痛程度：0 表示不痛，10 表示能想象到的最剧烈的疼痛",
    "section.body_map": "您在哪些部位有感觉？",
    "section.body_map.intro": (
        "请在图上用字母标出每个有异常感觉的部位：N 表示麻木，T 表示刺麻，B 表示灼热，P 表示疼痛。"
    ),
    "section.symptoms": "症状：请勾选您有的所有症状",
    "section.mnsi": "关于您的腿和脚的问题",
    "section.mnsi.intro": (
        "请对每个问题回答“是”或“否”。问卷出处：Michigan Neuropathy Screening Instrument, "
        "University of Michigan. Feldman EL et al., Diabetes Care 1994;17(11):1281-1289."
    ),
    "section.causes": "健康状况",
    "section.history": "既往病史",
    "section.medications": "您正在服用的药物",
    "section.allergies": "过敏史",
    "section.safety": "安全问题",
    "section.safety.intro": "为了您的安全，有些治疗需要调整或不能进行，所以请回答每一个问题。",
    "section.red_flags": "危险信号",
    "section.red_flags.intro": (
        "以下任何一题如果您回答“是”，请马上告诉前台：您可能需要先去看医生。"
    ),
    "section.lifestyle": "生活习惯",
    "section.tcm_review": "整体健康状况（中医问诊）",
    "section.consent": "治疗知情同意书",
    # -- about you
    "field.patient-name": "姓名",
    "field.patient-date_of_birth": "出生日期",
    "field.patient-phone": "电话",
    "field.patient-email": "电子邮箱",
    "field.patient-address": "地址",
    "field.patient-emergency_contact": "紧急联系人（姓名）",
    "field.patient-emergency_phone": "紧急联系人（电话）",
    "field.patient-preferred_language": "希望使用的语言",
    "field.patient-heard_about": "您是怎样知道本诊所的？",
    # -- why you are coming
    "field.chief_complaint-what": "您最希望我们帮您解决的主要问题是什么？",
    "field.chief_complaint-since": "从什么时候开始？",
    "field.chief_complaint-better": "什么情况下会好一些？",
    "field.chief_complaint-worse": "什么情况下会加重？",
    "field.chief_complaint-character": "是什么样的感觉？（例如灼热、刺麻、麻木）",
    # -- pain
    "field.pain-now": "现在的疼痛",
    "field.pain-worst": "过去一周最痛的时候",
    "field.pain-average": "过去一周的平均疼痛",
    # -- body map
    "body_map.side.left": "左侧",
    "body_map.side.right": "右侧",
    "region.toes": "脚趾",
    "region.sole": "脚底",
    "region.top_of_foot": "脚背",
    "region.ankle": "脚踝",
    "region.lower_leg": "小腿",
    "region.fingers": "手指",
    "region.palm": "手掌",
    "region.back_of_hand": "手背",
    "region.wrist": "手腕",
    "region.forearm": "前臂",
    "sensation.numbness": "麻木",
    "sensation.tingling": "刺麻",
    "sensation.burning": "灼热",
    "sensation.pain": "疼痛",
    "area.left.toes": "左脚趾",
    "area.left.sole": "左脚底",
    "area.left.top_of_foot": "左脚背",
    "area.left.ankle": "左脚踝",
    "area.left.lower_leg": "左小腿",
    "area.left.fingers": "左手指",
    "area.left.palm": "左手掌",
    "area.left.back_of_hand": "左手背",
    "area.left.wrist": "左手腕",
    "area.left.forearm": "左前臂",
    "area.right.toes": "右脚趾",
    "area.right.sole": "右脚底",
    "area.right.top_of_foot": "右脚背",
    "area.right.ankle": "右脚踝",
    "area.right.lower_leg": "右小腿",
    "area.right.fingers": "右手指",
    "area.right.palm": "右手掌",
    "area.right.back_of_hand": "右手背",
    "area.right.wrist": "右手腕",
    "area.right.forearm": "右前臂",
    # -- symptoms
    "symptom_group.sensory": "皮肤与感觉（感觉神经）",
    "symptom_group.motor": "肌肉与活动（运动神经）",
    "symptom_group.autonomic": "内脏与自主功能（自主神经）",
    "field.symptoms-sensory-tingling": "刺麻感或针扎感",
    "field.symptoms-sensory-numbness": "麻木",
    "field.symptoms-sensory-burning": "灼热感",
    "field.symptoms-sensory-shooting_pain": "尖锐、刺戳样或触电样的疼痛",
    "field.symptoms-sensory-buzzing": "嗡嗡的震颤感",
    "field.symptoms-sensory-tight_glove_sock": "像戴着很紧的手套或袜子",
    "field.symptoms-sensory-touch_sensitivity": "轻轻一碰就痛",
    "field.symptoms-sensory-painful_cold": "冷得发痛",
    "field.symptoms-sensory-itching": "发痒",
    "field.symptoms-sensory-hot_cold_confusion": "分不清热水和冷水",
    "field.symptoms-motor-weakness": "无力",
    "field.symptoms-motor-heavy_limbs": "四肢沉重，或手脚会僵住",
    "field.symptoms-motor-dropping_things": "拿不住东西",
    "field.symptoms-motor-poor_balance": "平衡或协调能力差",
    "field.symptoms-motor-cramps": "抽筋",
    "field.symptoms-motor-falls": "摔倒",
    "field.symptoms-autonomic-dizzy_on_standing": "站起来时头晕或快要晕倒",
    "field.symptoms-autonomic-sweating_change": "出汗太多或太少",
    "field.symptoms-autonomic-digestive": "消化问题、便秘或腹泻",
    "field.symptoms-autonomic-bladder": "排尿问题",
    "field.symptoms-autonomic-sexual": "性功能问题",
    "field.symptoms-notes": "其他症状",
    # -- legs and feet (MNSI, patient questionnaire)
    "field.mnsi-1": "1. 您的腿或脚感觉麻木吗？",
    "field.mnsi-2": "2. 您的腿或脚有没有过烧灼样的疼痛？",
    "field.mnsi-3": "3. 东西碰到您的脚时，脚是否特别敏感？",
    "field.mnsi-4": "4. 您的腿或脚会肌肉抽筋吗？",
    "field.mnsi-5": "5. 您的腿或脚有没有过针扎似的刺痛感？",
    "field.mnsi-6": "6. 被子压在皮肤上时，您会觉得痛吗？",
    "field.mnsi-7": "7. 泡澡或淋浴时，您能分辨出热水和冷水吗？",
    "field.mnsi-8": "8. 您的脚上有没有出现过开放性伤口？",
    "field.mnsi-9": "9. 有没有医生告诉过您患有糖尿病神经病变？",
    "field.mnsi-10": "10. 您是否大部分时间都觉得全身无力？",
    "field.mnsi-11": "11. 您的症状是否在夜间更严重？",
    "field.mnsi-12": "12. 您走路时腿会痛吗？",
    "field.mnsi-13": "13. 您走路时能感觉到自己的脚吗？",
    "field.mnsi-14": "14. 您脚上的皮肤是否干到裂开？",
    "field.mnsi-15": "15. 您是否做过截肢手术？",
    # -- health conditions
    "field.causes-diabetes-present": "我患有糖尿病",
    "field.causes-diabetes-type": "类型",
    "option.causes-diabetes-type.type_1": "1 型",
    "option.causes-diabetes-type.type_2": "2 型",
    "option.causes-diabetes-type.other": "其他类型",
    "field.causes-diabetes-hba1c_percent": "最近一次糖化血红蛋白 HbA1c（%），如果知道",
    "field.causes-chemotherapy-present": "我接受过化疗",
    "field.causes-chemotherapy-drug": "用过哪些化疗药物",
    "field.causes-chemotherapy-started": "开始日期",
    "field.causes-chemotherapy-ended": "结束日期",
    "field.causes-b12_deficiency": "维生素 B12 缺乏",
    "field.causes-alcohol": "现在或过去大量饮酒",
    "field.causes-autoimmune": "自身免疫性疾病",
    "field.causes-injury_or_compression": "外伤或神经受压（例如腕管综合征）",
    "field.causes-infection": "影响到神经的感染（例如带状疱疹）",
    "field.causes-inherited": "家族遗传的神经疾病",
    "field.causes-other": "其他可能的原因",
    "field.causes-unknown": "我不知道原因",
    # -- medical history
    "field.history-diagnoses": "您现在或过去患过的疾病",
    "field.history-surgeries": "做过的手术",
    "field.history-hospital_stays": "住院经历",
    # -- medicines
    "field.supplements": "您服用的保健品和草药",
    # -- allergies
    "field.allergies-latex": "乳胶过敏",
    "field.allergies-metals": "金属过敏（例如镍）",
    "field.allergies-adhesive": "胶布或膏药过敏",
    "field.allergies-other": "其他过敏",
    # -- safety questions
    "field.safety-implanted_device": "您是否装有心脏起搏器、除颤器，或体内植入的刺激器或药泵？",
    "field.safety-implanted_device_location": "如果有，装在什么部位？",
    "field.safety-bleeding_disorder": "您是否有出血性疾病，例如血友病？",
    "field.safety-anticoagulant": (
        "您是否在服用抗凝血药（例如华法林、阿哌沙班、利伐沙班、氯吡格雷，或每天服用阿司匹林）？"
    ),
    "field.safety-pregnant": "您是否怀孕，或有可能已经怀孕？",
    "field.safety-epilepsy": "您是否患有癫痫或有过抽搐发作？",
    "field.safety-numbness": "您身上是否有皮肤麻木，或感觉不出冷热？",
    "field.safety-open_wound": "您是否有开放性伤口、溃疡、皮肤感染或烧伤？",
    "field.safety-open_wound_location": "如果有，在什么部位？",
    "field.safety-dvt": "您是否得过静脉血栓（深静脉血栓）或血栓性静脉炎？",
    "field.safety-active_cancer": "您目前是否正在接受癌症治疗？",
    "field.safety-cancer_location": "如果是，在什么部位？",
    "field.safety-lymphoedema": "您是否有淋巴水肿（某个肢体长期肿胀）？",
    "field.safety-lymphoedema_limb": "如果有，是哪个肢体？",
    "field.safety-needle_phobia": "您是否非常害怕打针或扎针？",
    "field.safety-fainting_history": "您是否晕倒过？",
    "field.safety-fasting_today": "您今天是否还没有吃过任何东西？",
    # -- warning signs
    "field.red_flags-spreading_weakness": (
        "您是否感到无力正迅速从双腿往上蔓延，或者出现呼吸困难或吞咽困难？"
    ),
    "field.red_flags-foot_ulcer_infection": (
        "您的脚上是否有溃疡并伴有发烧，或者脚趾发凉、发黑，或者感染正在扩散？"
    ),
    "field.red_flags-hot_swollen_foot": "您是否有一只脚又红又热又肿？",
    # -- lifestyle
    "field.lifestyle-smoking": "吸烟",
    "option.lifestyle-smoking.never": "从不吸烟",
    "option.lifestyle-smoking.former": "以前吸烟",
    "option.lifestyle-smoking.current": "现在吸烟",
    "field.lifestyle-alcohol": "您喝多少酒？",
    "field.lifestyle-exercise": "您做哪些运动？",
    "field.lifestyle-sleep_hours": "每晚睡几个小时",
    "field.lifestyle-stress": "压力：0 表示没有，10 表示极大",
    "field.lifestyle-diet": "饮食上有什么特别的地方吗？",
    # -- general health (Chinese medicine review)
    "field.tcm_review-temperature": "您平时比较怕热还是怕冷？",
    "option.tcm_review-temperature.hot": "比较怕热",
    "option.tcm_review-temperature.cold": "比较怕冷",
    "option.tcm_review-temperature.both": "时冷时热",
    "option.tcm_review-temperature.neither": "既不怕热也不怕冷",
    "field.tcm_review-sweating": "出汗情况",
    "field.tcm_review-night_sweats": "夜间盗汗",
    "field.tcm_review-thirst": "口渴情况",
    "field.tcm_review-appetite": "食欲",
    "field.tcm_review-digestion": "消化和大便",
    "field.tcm_review-urination": "小便",
    "field.tcm_review-sleep": "睡眠和做梦",
    "field.tcm_review-energy": "精力",
    "field.tcm_review-emotions": "情绪",
    "field.tcm_review-cycle": "月经周期（如适用）",
    "field.tcm_review-pregnancy": "怀孕和生育情况（如适用）",
    # -- consent
    "field.consent-risks_acknowledged-bleeding_bruising": (
        "针刺的地方出一滴血或出现小块瘀青，大约每 100 次治疗中会有 3 次。"
    ),
    "field.consent-risks_acknowledged-needle_pain": (
        "治疗时或治疗后针刺处可能会痛，大约每 100 次治疗中会有 1 次。"
    ),
    "field.consent-risks_acknowledged-symptoms_worse": (
        "治疗后症状可能会短时间加重，每 100 次治疗中少于 3 次。"
    ),
    "field.consent-risks_acknowledged-drowsiness": (
        "治疗后您可能会感到疲倦或犯困。如果有这种情况，请不要开车。"
    ),
    "field.consent-risks_acknowledged-fainting": (
        "有些人在治疗时会觉得头晕或晕倒，大多发生在第一次就诊时。"
    ),
    "field.consent-risks_acknowledged-serious_events": (
        "严重的伤害（例如针刺伤到肺部）非常罕见：每 10,000 次治疗中不到 1 次"
        "（两项大型调查在约 229,000 名患者中共发现 2 例）。"
    ),
    "field.consent-risks_acknowledged-cupping_marks": (
        "拔罐会故意留下圆形的印记，大约 3 到 10 天内会消退。"
    ),
    "field.consent-risks_acknowledged-moxa_burns": "艾灸和热疗可能烫伤皮肤或起水泡。",
    "field.consent-risks_acknowledged-electro_sensation": (
        "电针的感觉像肌肉里有轻轻的敲击，可能会不舒服；请告诉治疗师，治疗师会把强度调低。"
    ),
    "field.consent-may_stop_acknowledged": "我明白我可以随时要求停止治疗。",
    "field.consent-signer_name": "签名人姓名",
    "field.consent-signed_on": "日期",
    "field.consent-signature": "患者签名（或代患者签名的人的签名）",
}

#: built-in translations by language code
TEXTS: dict[str, dict[str, str]] = {"zh": _ZH}
