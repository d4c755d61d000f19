"""The one table of scheduled jobs: stable ids, what runs, when, and why.

The scheduler process (``miniprogram_api.scheduler``) is the only thing that runs these, under a
database lock so a second scheduler started by mistake stays idle. A job function names the
dependencies it needs as parameters (see :data:`DEPENDENCIES`); the scheduler injects them and
gives each run its own database connection. Jobs are idempotent and take ids, not objects.
Features append their rows to :data:`JOBS`; an id, once used, keeps its meaning.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Every:
    """Run every ``seconds`` seconds."""

    seconds: int


@dataclass(frozen=True)
class Cron:
    """Run at cron-like times in Asia/Shanghai (``hour="2"``, ``minute="*/10"`` …)."""

    minute: str = "0"
    hour: str = "*"
    day: str = "*"
    month: str = "*"
    day_of_week: str = "*"


@dataclass(frozen=True)
class Job:
    id: str
    func: str | Callable
    trigger: Every | Cron
    description: str

    def resolve(self) -> Callable:
        """The callable ``func`` names (``"package.module:function"``), or ``func`` itself."""
        if callable(self.func):
            return self.func
        module_name, _, attribute = self.func.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


# Names a job function may take as parameters; the scheduler provides each of them.
DEPENDENCIES = frozenset({
    "sender",        # app.ports.NotificationSender (WeChat subscribe messages)
    "template_ids",  # subscribe template key -> WeChat template id
    "storage",       # app.media.storage.MediaStorage (uploaded images)
})

JOBS: tuple[Job, ...] = (
    Job("notifications.send", "app.notifications.jobs:send_due_notifications", Every(15),
        "发送到期的通知：微信订阅消息与工作人员通知，失败按退避重试"),
    Job("requests.escalate", "app.requests.jobs:escalate_due", Every(60),
        "诉求时限：临期提醒、超期催办、提级督办、联合督办；7 天未评价按未评价销号"),
    Job("media.purge_unattached", "app.media.jobs:purge_unattached_media", Cron(minute="17"),
        "清理上传后两天仍未使用的图片"),
    Job("transparency.checkpoint", "app.transparency.jobs:sign_checkpoints", Cron(minute="5"),
        "透明日志：每小时为有新记录的镇街日志签名检查点（须与上一个检查点一致）"),
    Job("transparency.post_checkpoints", "app.transparency.jobs:post_checkpoints",
        Cron(hour="9", minute="10"), "透明日志：每天把最新检查点发到各村(社区)群，居民留存"),
    Job("posts.publish_scheduled", "app.posts.jobs:publish_scheduled", Every(60),
        "定时发布：发布到点的草稿文章（每篇只发布一次）"),
    Job("wishes.expire_claims", "app.wishes.jobs:expire_claims", Every(300),
        "微心愿：认领超期未完成的自动释放，通知许愿人与认领人"),
    Job("wishes.auto_confirm", "app.wishes.jobs:auto_confirm", Every(300),
        "微心愿：完成后超过确认期限未确认的自动确认，并记录积分事件"),
    Job("wishes.deliver_points", "app.wishes.jobs:deliver_points", Every(300),
        "微心愿：把待交付的积分事件交给微星光积分账本（积分功能上线前只统计待交付数）"),
    Job("reports.escalate", "app.reports.jobs:escalate_due", Every(300),
        "举报办理时限：到期前一天提醒承办人，超期向上一级催办"),
    Job("reports.destroy_expired", "app.reports.jobs:destroy_expired", Cron(minute="41", hour="3"),
        "销毁超过保存期限的已办结举报（删除其密钥与密文）"),
    Job("points.verify_balances", "app.points.jobs:verify_balances", Cron(minute="23", hour="2"),
        "积分核对：按流水重算每个账户的余额与累计积分，不一致即告警"),
    Job("points.credit_pending", "app.points.jobs:credit_pending", Every(300),
        "积分入账：补记等待规则、积分池或住户绑定的积分事件"),
    Job("disclosures.cadence", "app.disclosures.jobs:check_cadence", Cron(minute="35", hour="*"),
        "公开频次：为已结束的月份、季度生成应公开事项，逾期未公开的标记逾期并通知镇街与纪检"),
    Job("bot.deliver", "bot.jobs:deliver", Every(10),
        "群机器人投递：把群通知分发到已绑定的群，按每个机器人每分钟 20 条限速、按顺序发送"),
    Job("bot.progress", "app.bot.jobs:progress_notices", Every(60),
        "群诉求进展：群里登记的诉求受理、办结、提级督办时，在原群发简短通知"),
    Job("bot.purge", "app.bot.jobs:purge_expired", Cron(minute="47", hour="3"),
        "清理超过保存期限的群消息与消息台账"),
    Job("bot.pull_archive", "bot.jobs:pull_archive", Every(30),
        "企业微信会话存档：拉取外部群消息（仅在配置了存档 SDK 时运行）"),
    Job("livestreams.remind", "app.livestreams.jobs:remind_upcoming", Every(300),
        "直播：开始前半小时再次通知村(社区)群（每场只提醒一次）"),
    Job("consultations.advance", "app.consultations.jobs:advance", Every(60),
        "议事协商：到开始时间的议题开放讨论，到截止时间的议题截止讨论与投票"),
)
