"""The bot floor: WeChat channel adapters that verify, decrypt and normalise callbacks into one
neutral :class:`app.bot.messages.InboundMessage`, hand it to ``app.bot.inbox.receive`` and render
the answer in the channel's own format; the outbound transport to WeCom; the bot's jobs.

This package is the bot's composition root; ``app`` never imports it.
"""
