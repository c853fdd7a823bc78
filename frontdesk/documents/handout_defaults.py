"""Built-in aftercare texts, used whenever the editable files are missing or broken.

The shipped files in ``resources/aftercare/<lang>/`` start as copies of these texts; the
clinic may edit those, never these. Same format as the files (see the README there).
"""

from __future__ import annotations

SECTIONS: dict[str, dict[str, str]] = {
    "en": {
        "acupuncture": """\
# After acupuncture
Feeling calm, relaxed or a little tired after needling is common. It is a normal response
and usually passes the same day.

- If you feel drowsy or light-headed, do not drive or use machinery until it has passed.
- Take it easy for about 6 hours: no hard exercise and no alcohol.
- A needle spot may bleed a drop. Press on it with clean cotton wool or a tissue for
  1 to 2 minutes.
- A small bruise is harmless. For the first 2 days a wrapped cold pack helps; after that,
  gentle warmth.
- Wait about 2 hours before a bath or a swim.
- Symptoms can feel a little stronger for a day before they settle. If they stay worse for
  more than a few days, call us.
""",
        "electro_acupuncture": """\
# After electro-acupuncture
Everything said about acupuncture applies. In addition:

- Muscles near the needles may ache for a day or two after strong stimulation. Rest and
  gentle movement help.
- Tell us if the ache is severe or has not eased after 2 days.
""",
        "cupping": """\
# After cupping
The cups leave round marks. They are expected, are not an injury, and fade within 3 to
14 days.

- Keep the treated area covered and warm for the rest of the day.
- For 24 to 48 hours avoid saunas, hot tubs and cold showers.
- If a small blister forms, leave it intact, keep it clean and cover it.
- Contact us about severe pain, redness that spreads, pus, heat or fever.
""",
        "massage": """\
# After massage (tui na)
- Mild soreness for 24 to 48 hours is normal, much like after exercise.
- Drink some water and take the rest of the day gently.
- Get up slowly from lying or sitting, as you may feel light-headed.
- Contact us if the soreness is severe or lasts longer than 2 to 3 days.
""",
        "moxibustion": """\
# After moxibustion or heat
- Warm, slightly pink skin is expected and fades within hours.
- Look at the treated skin tonight. If you see a blister or a red patch that does not fade,
  do not break it: cover it with a clean dressing and call us.
- Never heat numb skin at home (heat pads, hot-water bottles, moxa sticks): numb skin
  cannot warn you before it burns.
""",
        "neuropathy_home_care": """\
# Caring for your feet and hands at home
Nerve damage dulls feeling, so small injuries can go unnoticed. These habits protect you
between visits.

- Look at both feet every day, soles and between the toes too. A mirror or a family member
  helps.
- Test bath and shower water with your elbow or a thermometer, never with your foot.
- No hot-water bottles, heating pads or electric blankets on your feet.
- Wear shoes or slippers at all times, indoors too. Feel inside each shoe before putting
  it on.
- Choose shoes that fit well and do not rub.
- Do not use corn plasters or acid treatments for corns, calluses or warts; see a
  podiatrist instead.
- If you have diabetes, keep your blood sugar steady as your doctor advised.
- Numb feet make falls more likely: use night lights, remove loose rugs, hold the hand rail
  on stairs.
- Regular gentle movement such as walking, tai chi or yoga helps your balance.
- Ask your doctor before taking supplements such as vitamin B12, alpha-lipoic acid or
  magnesium.
- Be wary of products that promise to "detox" your nerves: there is no good evidence
  for them.
""",
        "when_to_call": """\
# When to call the clinic
Call us during opening hours if:

- your symptoms stay worse for more than a few days after treatment;
- soreness after massage or electro-acupuncture is severe or lasts more than 2 to 3 days;
- a bruise, blister or cupping mark becomes painful or hot, or the skin around it reddens;
- you have a question about your treatment or need to change an appointment.
""",
        "urgent_care": """\
# When to get urgent medical help
Do not wait for your next appointment. Call emergency services or go to the nearest
emergency department if:

- [acupuncture, electro_acupuncture] you become short of breath or have chest pain after
  needles in the chest, shoulders or back;
- weakness spreads quickly up both legs, or you have trouble breathing or swallowing;
- [neuropathy] a foot wound comes with a fever, or a toe turns cold, pale, blue or black;
- [neuropathy] a foot suddenly becomes red, hot and swollen;
- redness, swelling and heat spread around a treated area and you have a fever.
""",
    },
    "zh": {
        "acupuncture": """\
# 针灸后
针灸后感到平静、放松或有些疲倦很常见，这是正常反应，通常当天就会消失。

- 如果感到困倦或头晕，请不要开车或操作机器，直到完全恢复。
- 接下来大约 6 小时请好好休息：避免剧烈运动，不要饮酒。
- 针孔偶尔会渗出一点血，用干净的棉球或纸巾按压 1 至 2 分钟即可。
- 小块瘀青无害。头 2 天可用布包着的冷敷袋冷敷，之后改用温敷。
- 约 2 小时内请不要泡澡或游泳。
- 治疗后一天左右症状可能稍有加重，之后会缓解。如果加重持续超过几天，请致电我们。
""",
        "electro_acupuncture": """\
# 电针后
关于针灸的所有建议同样适用。此外：

- 强刺激后，针刺部位附近的肌肉可能酸痛一两天。休息和轻柔的活动有帮助。
- 如果酸痛很严重，或 2 天后仍未减轻，请告诉我们。
""",
        "cupping": """\
# 拔罐后
拔罐会留下圆形印记。这是预期中的现象，并不是受伤，通常在 3 至 14 天内消退。

- 当天请保持治疗部位有衣物遮盖并注意保暖。
- 24 至 48 小时内避免桑拿、热水浴缸和冷水淋浴。
- 如果出现小水泡，请不要弄破，保持清洁并用敷料盖好。
- 如出现剧烈疼痛、红肿扩散、流脓、局部发热或发烧，请联系我们。
""",
        "massage": """\
# 推拿按摩后
- 24 至 48 小时内肌肉轻微酸痛是正常的，和运动后的感觉相似。
- 多喝点水，当天其余时间放松一些。
- 从躺着或坐着的姿势起身时请慢一点，以免头晕。
- 如果酸痛严重或持续超过 2 至 3 天，请联系我们。
""",
        "moxibustion": """\
# 艾灸或热疗后
- 皮肤温热、微微发红是正常的，几个小时内会消退。
- 今晚请看一看治疗部位的皮肤。如果出现水泡或一直不退的红斑，请不要弄破，用干净的敷料盖好并致电我们。
- 在家中切勿对麻木的皮肤加热（电热垫、热水袋、艾条都不行）：麻木的皮肤感觉不到烫，容易烫伤。
""",
        "neuropathy_home_care": """\
# 在家护理您的双脚和双手
神经受损会使感觉变得迟钝，小伤口可能不被察觉。以下习惯可以在两次治疗之间保护您。

- 每天检查双脚，包括脚底和脚趾之间。可以借助镜子或请家人帮忙。
- 洗澡水的温度请用手肘或温度计测试，不要用脚试水温。
- 不要把热水袋、电热垫或电热毯放在脚上。
- 任何时候都要穿鞋或拖鞋，在家里也一样。穿鞋前先用手摸一摸鞋子里面。
- 选择合脚、不磨脚的鞋子。
- 不要使用鸡眼贴或含酸的去茧、去疣产品，请找足病医生处理。
- 如果您有糖尿病，请按照医生的建议保持血糖稳定。
- 双脚麻木更容易跌倒：夜间开小夜灯，移走松动的地毯，上下楼梯扶好扶手。
- 规律而温和的活动，如散步、太极拳或瑜伽，有助于改善平衡。
- 服用维生素 B12、α-硫辛酸或镁等补充剂之前，请先咨询医生。
- 对声称能为神经"排毒"的产品要保持警惕：没有可靠的证据支持这类说法。
""",
        "when_to_call": """\
# 何时联系诊所
如有以下情况，请在营业时间内致电我们：

- 治疗后症状加重并持续超过几天；
- 推拿或电针后的酸痛很严重，或持续超过 2 至 3 天；
- 瘀青、水泡或拔罐印记变得疼痛、发热，或周围皮肤发红；
- 您对治疗有疑问，或需要更改预约。
""",
        "urgent_care": """\
# 何时需要紧急就医
请不要等到下次预约。出现以下情况时，请立即拨打急救电话或前往最近的急诊：

- [acupuncture, electro_acupuncture] 胸部、肩部或背部针刺后出现呼吸急促或胸痛；
- 无力感从双腿迅速向上蔓延，或出现呼吸、吞咽困难；
- [neuropathy] 脚上的伤口伴有发烧，或脚趾变冷、苍白、发青或发黑；
- [neuropathy] 一只脚突然变得又红、又热、又肿；
- 治疗部位周围的红肿发热不断扩散，并伴有发烧。
""",
    },
}

CAUTIONS: dict[str, str] = {
    "en": """\
# Special cautions for you
## numb_skin
Your skin has less feeling than usual. Never put heat on numb areas (no hot-water bottles,
heating pads or heat lamps) and check the treated areas for redness or blisters tonight.
## anticoagulant
You take a blood-thinning medicine. If a needle spot bleeds, press on it with clean cotton
for longer than usual, 5 minutes or more, until it stops. Bruises come more easily; tell us
about one that is large or growing.
## bleeding_disorder
You have a bleeding disorder. Press firmly on any spot that bleeds until it stops. If it has
not stopped after 10 minutes, or a bruise keeps growing, contact us or a doctor at once.
## diabetes
Keep your blood sugar steady and watch the needle spots on your feet and legs as they heal.
Call us if one turns red, swells or weeps.
## pregnancy
You are or may be pregnant. Tell us or your midwife straight away about cramps, bleeding or
loss of fluid, and let your midwife or doctor know about your treatment here.
## implanted_device
You have an implanted device (pacemaker, defibrillator, stimulator or pump). Do not use
electrical stimulation machines (such as TENS) at home unless your specialist says it is
safe.
## open_wound
We kept away from a sore or wound. Keep it clean and covered, and have it checked by your
doctor or nurse if it is slow to heal.
## lymphoedema
Watch the affected limb over the next days for more swelling, heaviness, redness or heat,
and tell us if you notice any.
## blood_clot
Get medical help at once for new pain, swelling, heat or redness in a calf or leg, or for
sudden breathlessness.
## fainting
You have fainted before or felt faint today. Get up slowly, eat and drink something before
you leave, and do not drive until you feel completely normal.
## epilepsy
If you feel unusual after treatment, rest with someone nearby and follow your usual seizure
plan.
## cancer
Keep your cancer team informed about the treatment you receive here, and tell us about any
new lump, swelling or unexplained pain.
""",
    "zh": """\
# 针对您的特别提醒
## numb_skin
您的皮肤感觉比平常迟钝。请勿对麻木部位加热（不用热水袋、电热垫或烤灯），今晚请检查治疗部位有无发红或水泡。
## anticoagulant
您正在服用抗凝血药物。如果针孔出血，请用干净的棉球按压比平常更长的时间（5 分钟或更久），直到止血。
您也更容易出现瘀青；如果瘀青很大或在扩大，请告诉我们。
## bleeding_disorder
您有出血性疾病。任何出血点都请用力按压直到止血；如果 10 分钟后仍未止血，
或瘀青不断扩大，请立即联系我们或医生。
## diabetes
请保持血糖稳定，并留意脚部和腿部针孔的愈合情况；如果针孔发红、肿胀或渗液，请致电我们。
## pregnancy
您已怀孕或可能怀孕。如出现腹部绞痛、出血或流液，请立即告诉我们或您的助产士，并让您的助产士或医生知道您在这里接受的治疗。
## implanted_device
您体内有植入装置（起搏器、除颤器、刺激器或药泵）。除非专科医生确认安全，
请勿在家使用电刺激仪（如 TENS）。
## open_wound
我们避开了您的伤口或溃疡。请保持伤口清洁并用敷料盖好；如果愈合缓慢，请找医生或护士检查。
## lymphoedema
接下来几天请留意受影响的肢体是否更加肿胀、沉重、发红或发热，如有这些情况请告诉我们。
## blood_clot
如果小腿或腿部出现新的疼痛、肿胀、发热或发红，或突然呼吸急促，请立即就医。
## fainting
您曾经晕倒过，或今天感到头晕。请慢慢起身，离开前吃点东西、喝点水，在完全恢复正常之前不要开车。
## epilepsy
如果治疗后感觉异常，请休息并让人陪在身边，并按照您平时的癫痫应对方案处理。
## cancer
请让您的肿瘤科医疗团队了解您在这里接受的治疗；如发现新的肿块、肿胀或不明原因的疼痛，请告诉我们。
""",
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Aftercare advice",
        "running_title": "Aftercare",
        "patient": "Patient",
        "born": "(born {date})",
        "visit_date": "Visit date",
        "practitioner": "Practitioner",
        "services": "Treatment received",
        "note": "A note from your practitioner",
        "next": "Your next appointments",
        "no_next": "No further appointment is booked. Call us when you would like to book.",
        "phone": "Clinic phone: {phone}",
        "page": "Page {page} of {total}",
        "with_practitioner": "with {name}",
        "minutes": "{minutes} min",
        "weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        "months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "date_format": "{weekday} {day} {month} {year}",
        "date_format_no_weekday": "{day} {month} {year}",
        "list_separator": ", ",
        "service.acupuncture": "Acupuncture",
        "service.electro_acupuncture": "Electro-acupuncture",
        "service.cupping": "Cupping",
        "service.massage": "Massage (tui na)",
        "service.moxibustion": "Moxibustion / heat",
        "service.consultation": "TCM consultation",
    },
    "zh": {
        "title": "治疗后注意事项",
        "running_title": "治疗后注意事项",
        "patient": "患者",
        "born": "（出生日期：{date}）",
        "visit_date": "就诊日期",
        "practitioner": "治疗师",
        "services": "本次治疗项目",
        "note": "治疗师给您的留言",
        "next": "您的下次预约",
        "no_next": "目前没有其他预约。如需预约，请致电诊所。",
        "phone": "诊所电话：{phone}",
        "page": "第 {page} 页，共 {total} 页",
        "with_practitioner": "治疗师：{name}",
        "minutes": "{minutes} 分钟",
        "weekdays": "周一,周二,周三,周四,周五,周六,周日",
        "months": "1,2,3,4,5,6,7,8,9,10,11,12",
        "date_format": "{year}年{month}月{day}日（{weekday}）",
        "date_format_no_weekday": "{year}年{month}月{day}日",
        "list_separator": "、",
        "service.acupuncture": "针灸",
        "service.electro_acupuncture": "电针",
        "service.cupping": "拔罐",
        "service.massage": "推拿按摩",
        "service.moxibustion": "艾灸／热疗",
        "service.consultation": "中医咨询",
    },
}
