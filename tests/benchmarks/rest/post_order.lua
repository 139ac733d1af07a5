-- wrk: POST one order per request (the body LoopBack and relata both accept).
wrk.method = "POST"
wrk.body = '{"description":"bench","total":1.5}'
wrk.headers["Content-Type"] = "application/json"
