"""The domain floor: peewee models and services per feature, pure rules and jobs.

Nothing here imports Flask, wechatpy, ``miniprogram_api`` or ``bot``; edges call services and
services reach WeChat only through the ports in :mod:`app.ports`.
"""
