"""Proposals of the demo congress (registered into `congress.demo.DEMO_BUILDERS`).

* 36th session of 示范大学学生会 (closed): 25 proposals from delegates, each with co-signers,
  decided by the proposal committee: accepted and sent to the offices of the rights desk (most
  answered and rated, a few overdue), some merged into an earlier one on the same matter, some
  turned into opinions, two not accepted.
* 示范大学研究生会 (sitting today): a few drafts awaiting co-signers and a few submitted.

Plain bulk writes, in the states the services leave (`Proposal.TRANSITIONS`).
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from tongxue.congress.models import CommitteeMember, Delegate
from tongxue.rights.models import Office

from .models import CoSigner, Proposal

C = Proposal.Category
S = Proposal.Satisfaction

# (title, category, office code, reason, suggestion, answer or None when overdue)
ACCEPTED = [
    ("关于延长图书馆考试周开放时间的提案", C.TEACHING, "academic",
     "考试周期间图书馆二十二点闭馆，自习座位紧张，不少同学只能回宿舍复习。",
     "建议考试周期间图书馆延长开放至二十四时，并开放一处通宵自习室。",
     "图书馆已同意考试周开放至二十四时，并在东区一层设通宵自习室，座位二百个。"),
    ("关于增加宿舍区自助洗衣机的提案", C.LOGISTICS, "logistics",
     "每栋宿舍楼仅有四台洗衣机，晚间排队时间超过一小时。",
     "建议每栋宿舍楼增加洗衣机至八台，并开通线上预约。",
     "后勤保障处已在各宿舍楼增设洗衣机共六十台，下学期上线扫码预约功能。"),
    ("关于食堂增设平价套餐的提案", C.LOGISTICS, "logistics",
     "近来食堂菜价上涨，部分家庭经济困难同学反映负担加重。",
     "建议每个食堂每餐保留不少于两种八元以内的平价套餐。",
     "饮食中心已在各食堂设立平价窗口，每餐提供三种八元以内套餐。"),
    ("关于公开课程评教结果的提案", C.TEACHING, "academic",
     "同学选课时缺少参考，评教结果只在学院内部使用。",
     "建议在选课系统中公开课程评教的综合得分。",
     "教务处将在下学期选课系统中试点公开通识课程评教等级。"),
    ("关于校园网宿舍区夜间限速的提案", C.LOGISTICS, "it",
     "晚间二十一时至二十三时宿舍区网速明显下降，影响网课和资料下载。",
     "建议扩容宿舍区出口带宽，并公开网络故障报修进度。",
     "信息化办公室已将宿舍区出口带宽由十G扩容至四十G，报修进度可在网上服务大厅查询。"),
    ("关于增加校园夜间照明的提案", C.RIGHTS, "security",
     "东区运动场至宿舍区道路夜间照明不足，女生夜归存在安全隐患。",
     "建议增设路灯并在沿线安装紧急呼叫装置。",
     "保卫处会同后勤已新增路灯三十六盏、紧急呼叫柱四处。"),
    ("关于简化奖助学金材料的提案", C.RIGHTS, "student_affairs",
     "申请助学金需提交多份纸质证明，同学往返多个部门盖章。",
     "建议推行线上申请，学校内部可查的信息不再要求同学提交证明。",
     "学生工作部已将助学金申请改为线上办理，取消三项校内证明材料。"),
    ("关于设立学业辅导中心的提案", C.TEACHING, "academic",
     "高等数学、大学物理等基础课程挂科率较高，同学缺少课后答疑渠道。",
     "建议设立学业辅导中心，由高年级优秀学生和青年教师提供答疑。",
     "教务处已在图书馆设立学业辅导中心，每周一至周五晚间提供答疑。"),
    ("关于退还教材预订余款的提案", C.RIGHTS, "finance",
     "教材费按学年预收，部分课程未发教材，余款退还不及时。",
     "建议每学期末结算并主动退还余款。",
     "财务处已完成上学年教材费结算，余款已退回同学缴费账户，今后每学期结算一次。"),
    ("关于增加就业招聘信息推送的提案", C.CAREER, "student_affairs",
     "招聘会信息分散在各学院群中，同学容易错过。",
     "建议就业指导中心统一发布招聘信息并按专业推送。",
     "就业指导中心已开通按专业订阅的招聘信息推送。"),
    ("关于体育场馆错峰开放的提案", C.LOGISTICS, "logistics",
     "体育馆周末和晚间预约紧张，工作日白天却常常空置。",
     "建议实行分时段收费和工作日中午免费开放。",
     "体育馆已在工作日十二时至十四时免费开放，晚间实行线上预约。"),
    ("关于宿舍空调安装的提案", C.LOGISTICS, "logistics",
     "西区宿舍夏季室温超过三十五度，影响休息和学习。",
     "建议分批为西区宿舍安装空调，采用租赁方式降低同学负担。",
     None),
    ("关于实验室安全培训学时认定的提案", C.TEACHING, "academic",
     "实验室安全培训占用大量课余时间，却不计入任何学时。",
     "建议将安全培训纳入第二课堂学分认定。",
     None),
    ("关于校园班车增加晚间班次的提案", C.LOGISTICS, "logistics",
     "两校区间班车末班为十八时，晚课结束后同学只能自行打车。",
     "建议增加二十一时和二十二时两个班次。",
     None),
]

# (title, index of the accepted proposal it repeats)
MERGED = [
    ("关于图书馆期末通宵开放的提案", 0),
    ("关于宿舍洗衣难问题的提案", 1),
    ("关于控制食堂菜价的提案", 2),
    ("关于改善宿舍网络的提案", 4),
    ("关于校园道路照明的提案", 5),
]

OPINIONS = [
    ("关于丰富学生社团活动场地的提案", C.UNION, "student_affairs", "社团活动场地紧张，常需提前一个月预约。",
     "建议开放部分教室晚间用于社团活动。"),
    ("关于宿舍楼增设直饮水机的提案", C.LOGISTICS, "logistics", "部分宿舍楼饮水机老化，出水慢。",
     "建议更换为直饮水机。"),
    ("关于学生会活动通知统一发布的提案", C.UNION, None, "学生会各部门通知分散，同学难以查阅。",
     "建议在“同学”平台统一发布学生会活动通知。"),
    ("关于增加校园共享单车停放点的提案", C.LOGISTICS, "security", "教学楼前共享单车乱停放，影响通行。",
     "建议规划停放点并设置电子围栏。"),
]

NOT_ACCEPTED = [
    ("关于取消期末考试的提案", C.TEACHING, "期末考试压力大，复习时间不足。", "建议取消期末考试，改为平时成绩评定。",
     "课程考核方式由课程教学大纲规定，不属于提案受理范围，已转为意见向教务处反映。"),
    ("关于校门口开设便利店的提案", C.OTHER, "校门外商户经营属于市政管理范围。", "建议校门口开设二十四小时便利店。",
     "所提事项不属于学校职权范围，不予立案。"),
]

RATINGS = [(S.SATISFIED, "回复及时，问题已解决"), (S.SATISFIED, ""), (S.BASIC, "希望尽快全面落实"),
           (S.SATISFIED, "谢谢相关部门"), (S.UNSATISFIED, "答复没有给出具体时间表")]

GRADUATE = [
    ("关于延长实验楼夜间门禁时间的提案", C.RIGHTS, "实验需要连续观察，二十三时门禁影响科研进度。", "建议凭导师证明办理夜间通行卡。"),
    ("关于提高研究生助研津贴的提案", C.RIGHTS, "助研津贴标准多年未调整。", "建议建立津贴标准随物价调整的机制。"),
    ("关于增加研究生公寓自习空间的提案", C.LOGISTICS, "公寓自习室座位不足。", "建议将公寓一层活动室改为自习空间。"),
    ("关于开设学术写作课程的提案", C.TEACHING, "不少研究生缺少学术写作训练。", "建议研究生院开设学术写作选修课。"),
    ("关于规范导学关系的提案", C.RIGHTS, "部分研究生反映承担与科研无关的事务。", "建议制定导学关系指引并设立申诉渠道。"),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build_proposals_demo(demo) -> None:
    rng = demo.rng
    university = demo.university
    offices = {o.code: o for o in Office.objects.filter(university=university)}
    past = demo.school_past
    if past is not None and offices:
        _school_proposals(demo, past, offices)
    now = demo.graduate_now
    if now is not None:
        delegates = list(Delegate.objects.filter(session=now, status=Delegate.Status.SEATED)
                         .values_list("pk", flat=True))
        if len(delegates) >= 3:
            proposals, signers, number = [], [], 0
            for i, (title, category, reason, suggestion) in enumerate(GRADUATE):
                submitted = i >= 2
                proposer, *cosigners = rng.sample(delegates, 3 if len(delegates) >= 3 else len(delegates))
                number += submitted
                proposal = Proposal(
                    university=university, session=now, proposer_id=proposer, title=title, reason=reason,
                    suggestion=suggestion, category=category,
                    status=Proposal.Status.SUBMITTED if submitted else Proposal.Status.DRAFT,
                    number=number if submitted else None,
                    submitted_at=_at(demo.today, 7, 10 * i) - datetime.timedelta(days=2) if submitted else None)
                proposals.append(proposal)
                invited = _at(demo.today, 7) - datetime.timedelta(days=3)
                signers.append([(d, invited, invited + datetime.timedelta(hours=5) if submitted or j == 0 else None)
                                for j, d in enumerate(cosigners)])
            _save(university, proposals, signers)


def _save(university, proposals, signers) -> None:
    Proposal.objects.bulk_create(proposals)
    CoSigner.objects.bulk_create([
        CoSigner(university=university, proposal=proposal, delegate_id=delegate_id, invited_at=invited,
                 signed_at=signed)
        for proposal, rows in zip(proposals, signers, strict=True) for delegate_id, invited, signed in rows
    ])


def _school_proposals(demo, past, offices) -> None:
    rng, university, teacher = demo.rng, demo.university, demo.teacher
    day = past.opens_on
    delegates = list(Delegate.objects.filter(session=past, status=Delegate.Status.SEATED).values_list("pk", flat=True))
    if len(delegates) < 4:
        return
    committee = CommitteeMember.objects.filter(session=past, role=CommitteeMember.Role.PRESIDIUM).first()
    decider = committee.user if committee else teacher
    decided = _at(day + datetime.timedelta(days=3), 15)
    due = decided.date() + datetime.timedelta(days=past.proposal_answer_days)
    staff = {o.code: o.staff.order_by("pk").first() for o in offices.values()}

    plans = []   # (fields, status)
    for title, category, office, reason, suggestion, answer in ACCEPTED:
        plans.append(dict(title=title, category=category, reason=reason, suggestion=suggestion,
                          office=offices.get(office), answer=answer))
    for title, target in MERGED:
        base = ACCEPTED[target]
        plans.append(dict(title=title, category=base[1], reason=base[3], suggestion=base[4], merged=target))
    for title, category, office, reason, suggestion in OPINIONS:
        plans.append(dict(title=title, category=category, reason=reason, suggestion=suggestion,
                          office=offices.get(office) if office else None, opinion=True))
    for title, category, reason, suggestion, note in NOT_ACCEPTED:
        plans.append(dict(title=title, category=category, reason=reason, suggestion=suggestion, rejected=note))

    order = list(range(len(plans)))
    rng.shuffle(order)
    # Submission order: the first proposal on a matter comes before those merged into it.
    order.sort(key=lambda i: 1 if "merged" in plans[i] else 0)
    proposals, signers, by_plan = [], [], {}
    for number, i in enumerate(order, start=1):
        plan = plans[i]
        proposer, *cosigners = rng.sample(delegates, 2 + rng.randrange(1, 4))
        submitted = _at(day - datetime.timedelta(days=rng.randrange(1, 15)), rng.randrange(8, 22), rng.randrange(60))
        fields = dict(
            university=university, session=past, number=number, proposer_id=proposer, title=plan["title"],
            reason=plan["reason"], suggestion=plan["suggestion"], category=plan["category"],
            submitted_at=submitted, decided_at=decided, decided_by=decider)
        if "answer" in plan:
            fields.update(office=plan["office"], answer_due=due)
            if plan["answer"]:
                answered = decided + datetime.timedelta(days=rng.randrange(8, 28), hours=rng.randrange(0, 5))
                satisfaction, comment = RATINGS[rng.randrange(len(RATINGS))]
                fields.update(status=Proposal.Status.ANSWERED, answer=plan["answer"], answered_at=answered,
                              answered_by=staff.get(plan["office"].code) if plan["office"] else None,
                              satisfaction=satisfaction, rating_comment=comment,
                              rated_at=answered + datetime.timedelta(days=rng.randrange(1, 6)))
            else:
                fields.update(status=Proposal.Status.ACCEPTED)   # overdue: no answer by answer_due
        elif "merged" in plan:
            fields.update(status=Proposal.Status.MERGED, decision_note="与同一事项的提案合并办理。")
        elif "opinion" in plan:
            fields.update(status=Proposal.Status.OPINION, office=plan["office"],
                          decision_note="所提事项已转为意见建议，转交有关部门参考。")
        else:
            fields.update(status=Proposal.Status.NOT_ACCEPTED, decision_note=plan["rejected"])
        proposal = Proposal(**fields)
        by_plan[i] = proposal
        proposals.append(proposal)
        signed = submitted - datetime.timedelta(hours=rng.randrange(1, 20))
        signers.append([(d, submitted - datetime.timedelta(days=1), signed) for d in cosigners])
    _save(university, proposals, signers)
    merges = [(by_plan[len(ACCEPTED) + k].pk, by_plan[target].pk) for k, (_title, target) in enumerate(MERGED)]
    for pk, into in merges:
        Proposal.objects.filter(pk=pk).update(merged_into_id=into)
