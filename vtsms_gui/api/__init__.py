"""The VETtrak VT_API SOAP client (zeep): login, SMS status, SendSMSMessages, error taxonomy."""
