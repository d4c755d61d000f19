"""Domain errors: a stable string code, a Chinese message for people, optional details.

Edges render every one of these into the single JSON envelope; the class decides the HTTP status
(``status``) so the mapping lives next to the meaning rather than in each view.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure. ``code`` is stable API; ``message`` is for people."""

    status = 400
    code = "error"
    message = "请求无法完成"

    def __init__(self, code: str | None = None, message: str | None = None,
                 details: dict | None = None):
        self.code = code or self.code
        self.message = message or self.message
        self.details = details or {}
        super().__init__(f"{self.code}: {self.message}")


class InvalidInput(DomainError):
    status = 422
    code = "validation.failed"
    message = "提交的内容不符合要求"


class Unauthorized(DomainError):
    status = 401
    code = "auth.required"
    message = "请先登录"


class Forbidden(DomainError):
    status = 403
    code = "permission.denied"
    message = "您没有权限进行此操作"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "找不到您要的内容"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = "操作与当前状态冲突"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    message = "操作太频繁，请稍后再试"


class ServiceUnavailable(DomainError):
    """An upstream (WeChat) failure the caller may retry."""

    status = 503
    code = "upstream.unavailable"
    message = "服务暂时繁忙，请稍后再试"

    def __init__(self, *args, retryable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.details.setdefault("retryable", retryable)
