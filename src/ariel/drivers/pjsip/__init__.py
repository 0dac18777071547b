"""The PJSIP channel driver: pjsip.conf endpoints, SIP calls as channels."""
