// The audit log in plain Chinese (issue 11 §7): each write is named by what it did ("导入结对名单"), never by its
// route template or status code; a refusal says why in words. `AuditWordsTests` checks that every write route the
// app registers has its words here.
import Vapor

enum AuditWords {
    /// Route (API prefix removed, parameters as `:name`) → what a write there does.
    static let actions: [String: String] = [
        "POST /login": "登录", "POST /session": "登录（接口）", "POST /logout": "退出登录", "DELETE /session": "注销接口令牌",
        "POST /account/password": "修改本人密码", "POST /me/password": "修改本人密码",
        "POST /orgs/:orgID/children": "添加下级组织", "POST /orgs": "添加下级组织",
        "POST /orgs/:orgID/users": "新建账户", "POST /users": "新建账户",
        "PATCH /users/:userID": "修改账户（角色、状态或权限）", "POST /users/:userID": "修改账户（角色、状态或权限）",
        "POST /users/:userID/reset-password": "重置账户密码",
        "POST /users/import": "批量创建账户（上传检查）", "POST /users/import/:importID/commit": "批量创建账户（确认导入）",
        "POST /users/import/:importID/errors.xlsx": "下载账户导入错误标注表",
        "POST /campaigns": "新建活动年度", "POST /campaigns/:year": "修改年度日程", "PATCH /campaigns/:year": "修改年度日程和工作指标",
        "POST /campaigns/:year/quotas": "修改工作指标",
        "POST /campaigns/:year/assignments": "修改附件1对接安排", "PUT /campaigns/:year/assignments/:countyID": "修改附件1对接安排",
        "POST /pairings/:pairingID/reveal": "查看完整身份证号", "POST /roster/pairings/:pairingID/reveal": "查看完整身份证号",
        "POST /pairings": "添加结对", "POST /roster/pairings": "添加结对",
        "PATCH /pairings/:pairingID": "修改结对", "POST /roster/pairings/:pairingID": "修改结对",
        "DELETE /pairings/:pairingID": "删除结对", "POST /roster/pairings/:pairingID/delete": "删除结对",
        "POST /pairings/import": "导入结对名单", "POST /roster/import": "导入结对名单（上传检查）",
        "POST /matching/tutoring": "智能结对（生成方案）", "POST /roster/matching": "智能结对（生成方案）",
        "POST /matching/tutoring/:runID/accept": "采纳智能结对方案", "POST /roster/matching/:runID/accept": "采纳智能结对方案（转入导入预览）",
        "POST /roster/matching/:runID/rerun": "智能结对（锁定或禁止后重新计算）",
        "POST /roster/matching/:runID/download": "下载智能结对方案（含完整身份证号）",
        "POST /roster/matching/weights": "修改智能结对权重",
        "POST /employment/suggest": "按建议调整就业帮扶结对",
        "POST /roster/matching/errors/:importID": "下载错误标注表（智能结对名单）",
        "POST /roster/import/:importID/commit": "导入结对名单（确认导入）", "POST /roster/import/:importID/errors.xlsx": "下载结对名单错误标注表",
        "POST /roster/export": "导出结对名单", "POST /roster-submissions": "报送结对名单", "POST /roster/submit": "报送结对名单",
        "POST /roster-submissions/:submissionID/return": "退回结对名单", "POST /roster-submissions/:submissionID/accept": "审核通过结对名单",
        "POST /roster/submissions/:submissionID/review": "审核结对名单",
        "POST /tutoring/sessions": "登记辅导", "POST /sessions": "登记辅导", "PATCH /sessions/:sessionID": "修改辅导记录",
        "DELETE /sessions/:sessionID": "删除辅导记录", "POST /tutoring/sessions/:sessionID/delete": "删除辅导记录",
        "POST /sessions/import": "导入支教记录", "POST /tutoring/import": "导入支教记录",
        "POST /activate": "激活志愿者账户", "POST /volunteers/hours": "导出志愿服务时长", "POST /volunteers/codes": "发放激活码",
        "POST /volunteers/codes/export": "导出激活码",
        "POST /activities": "添加活动", "PATCH /activities/:activityID": "修改活动", "POST /activities/:activityID": "修改活动",
        "DELETE /activities/:activityID": "删除活动", "POST /activities/:activityID/delete": "删除活动",
        "POST /activities/submit": "报送活动汇总表", "POST /activity-submissions": "报送活动汇总表",
        "POST /activity-submissions/:submissionID/return": "退回活动汇总表",
        "POST /activities/import": "导入活动汇总表", "POST /activities/import/:importID/commit": "导入活动汇总表（确认导入）",
        "POST /activities/import/:importID/errors.xlsx": "下载活动汇总表错误标注表",
        "POST /completeness/chase": "发送催报提醒",
        "POST /practice-teams": "登记三下乡实践团队",
        "POST /practice-teams/:teamID/delete": "删除三下乡实践团队",
        "DELETE /practice-teams/:teamID": "删除三下乡实践团队",
        "POST /civility-pairs": "登记百校百号结对",
        "POST /civility-pairs/:pairID/delete": "删除百校百号结对",
        "DELETE /civility-pairs/:pairID": "删除百校百号结对",
        "POST /return-home": "登记返家乡学生",
        "POST /return-home/:studentID/delete": "删除返家乡学生",
        "DELETE /return-home/:studentID": "删除返家乡学生",
        "POST /targets": "修改工作目标",
        "PUT /campaigns/:year/targets": "修改工作目标",
        "POST /key-counties": "设置返家乡重点县",
        "PUT /campaigns/:year/key-counties": "设置返家乡重点县",
        "POST /practice-teams/:teamID/members/import": "导入实践团队成员名单",
        "POST /practice-teams/import": "导入三下乡实践团队",
        "POST /practice-teams/import/:importID/commit": "导入三下乡实践团队（确认导入）",
        "POST /practice-teams/import/:importID/errors.xlsx": "下载三下乡实践团队错误标注表",
        "POST /practice-members/import": "导入实践团队成员名单（上传检查）",
        "POST /practice-members/import/:importID/commit": "导入实践团队成员名单（确认导入）",
        "POST /practice-members/import/:importID/errors.xlsx": "下载实践团队成员名单错误标注表",
        "POST /civility-pairs/import": "导入百校百号结对",
        "POST /civility-pairs/import/:importID/commit": "导入百校百号结对（确认导入）",
        "POST /civility-pairs/import/:importID/errors.xlsx": "下载百校百号结对错误标注表",
        "POST /return-home/import": "导入返家乡学生",
        "POST /return-home/import/:importID/commit": "导入返家乡学生（确认导入）",
        "POST /return-home/import/:importID/errors.xlsx": "下载返家乡学生错误标注表",
        "POST /targets/import": "导入目标分解表",
        "POST /targets/import/:importID/commit": "导入目标分解表（确认导入）",
        "POST /targets/import/:importID/errors.xlsx": "下载目标分解表错误标注表",
        "POST /deployments": "登记希望乡村教师派驻", "PATCH /deployments/:deploymentID": "修改希望乡村教师派驻",
        "POST /deployments/:deploymentID/end": "登记提前结束派驻", "DELETE /deployments/:deploymentID": "删除希望乡村教师派驻",
        "POST /deployments/:deploymentID/delete": "删除希望乡村教师派驻", "POST /deployments/export": "导出希望乡村教师派驻（含完整身份证号）",
        "POST /deployments/import": "导入希望乡村教师派驻登记表", "POST /deployments/import/:importID/commit": "导入希望乡村教师派驻登记表（确认导入）",
        "POST /deployments/import/:importID/errors.xlsx": "下载希望乡村教师派驻错误标注表",
        "POST /cadres": "添加就业帮扶团干部", "POST /employment/cadres": "添加就业帮扶团干部",
        "DELETE /cadres/:cadreID": "删除就业帮扶团干部", "POST /employment/cadres/:cadreID/delete": "删除就业帮扶团干部",
        "POST /graduates": "登记就业帮扶毕业生", "POST /employment/graduates": "登记就业帮扶毕业生",
        "DELETE /graduates/:graduateID": "删除就业帮扶毕业生", "POST /employment/graduates/:graduateID/delete": "删除就业帮扶毕业生",
        "POST /graduates/:graduateID/reveal": "查看毕业生身份证号及家庭困难类别",
        "POST /employment/graduates/:graduateID/reveal": "查看毕业生身份证号及家庭困难类别",
        "POST /graduates/:graduateID/jobs": "记录岗位推荐", "POST /employment/graduates/:graduateID/jobs": "记录岗位推荐",
        "POST /graduates/:graduateID/guidance": "记录就业指导", "POST /employment/graduates/:graduateID/guidance": "记录就业指导",
        "PATCH /jobs/:jobID": "更新岗位推荐进展", "POST /employment/jobs/:jobID/outcome": "更新岗位推荐进展",
        "DELETE /jobs/:jobID": "删除岗位推荐", "POST /employment/jobs/:jobID/delete": "删除岗位推荐",
        "POST /employment/export": "导出就业帮扶毕业生（含完整身份证号、家庭困难类别）",
        "POST /graduates/import": "导入就业帮扶毕业生", "POST /employment/import": "导入就业帮扶毕业生（上传检查）",
        "POST /employment/import/:importID/commit": "导入就业帮扶毕业生（确认导入）",
        "POST /employment/import/:importID/errors.xlsx": "下载就业帮扶毕业生错误标注表",
        "POST /trainings": "登记培训班", "DELETE /trainings/:classID": "删除培训班", "POST /trainings/:classID/delete": "删除培训班",
        "POST /trainings/:classID/attendance/import": "导入培训签到表", "POST /attendance/import": "导入培训签到表（上传检查）",
        "POST /attendance/import/:importID/commit": "导入培训签到表（确认导入）",
        "POST /attendance/import/:importID/errors.xlsx": "下载培训签到表错误标注表",
        "POST /ventures": "登记创业项目", "POST /contests/ventures": "登记创业项目", "POST /contests": "创建评审",
        "POST /contests/:contestID/entries": "加入参评项目", "POST /contests/:contestID/judges": "添加评委",
        "POST /contests/:contestID/scores": "评委评分", "POST /contests/:contestID/select": "公布入选名单",
        "POST /hotline-cases": "登记12355个案", "POST /hotline": "登记12355个案",
        "POST /hotline-cases/:caseID/follow-ups": "记录12355个案回访", "POST /hotline/:caseID/follow-ups": "记录12355个案回访",
        "POST /hotline-cases/:caseID/close": "12355个案结案", "POST /hotline/:caseID/close": "12355个案结案",
        "POST /health-visits": "登记健康直通车服务", "POST /health/visits": "登记健康直通车服务",
        "POST /health-checks": "记录健康检查", "POST /health/visits/:visitID/checks": "记录健康检查",
        "POST /health-checks/:checkID/follow-ups": "记录健康随访", "POST /health/checks/:checkID/follow-ups": "记录健康随访",
        "POST /health-visits/:visitID/checks/import": "导入健康检查记录", "POST /health-checks/import": "导入健康检查记录（上传检查）",
        "POST /health-checks/import/:importID/commit": "导入健康检查记录（确认导入）",
        "POST /health-checks/import/:importID/errors.xlsx": "下载健康检查记录错误标注表",
        "POST /disability-pairs": "登记阳光助残结对", "POST /disability": "登记阳光助残结对",
        "PUT /disability-pairs/:pairID/plan": "制定一人一策", "POST /disability/:pairID/plan": "制定一人一策",
        "POST /disability-pairs/:pairID/reviews": "记录一人一策评估", "POST /disability/:pairID/reviews": "记录一人一策评估",
        "POST /camps": "登记营地", "POST /companionship/camps": "登记营地",
        "POST /camps/:campID/participants/import": "导入营员名单", "POST /camp-participants/import": "导入营员名单（上传检查）",
        "POST /camp-participants/import/:importID/commit": "导入营员名单（确认导入）",
        "POST /camp-participants/import/:importID/errors.xlsx": "下载营员名单错误标注表",
        "POST /letter-pairs": "登记书信陪伴", "POST /family-matches": "登记南粤会亲", "POST /hand-in-hand": "登记手拉手",
        "POST /companionship/matches/:kind": "登记成长陪伴结对",
        "POST /companionship/family-suggest": "南粤会亲建议配对", "POST /companionship/family-suggest/accept": "采纳南粤会亲建议配对",
        "POST /letter-pairs/:matchID/letters": "记录书信", "POST /family-matches/:matchID/visits": "记录南粤会亲探访",
        "POST /hand-in-hand/:matchID/activities": "记录手拉手活动", "POST /companionship/matches/:kind/:matchID/contacts": "记录成长陪伴联系",
        "POST /privacy/search": "查询个人信息", "POST /privacy/export": "导出个人信息", "POST /privacy/erase": "删除（匿名化）个人信息",
        "POST /ventures/import": "导入涉农创业项目", "POST /ventures/import/:importID/commit": "导入涉农创业项目（确认导入）",
        "POST /ventures/import/:importID/errors.xlsx": "下载涉农创业项目错误标注表",
        "POST /notifications/:notificationID/open": "查看提醒", "POST /notifications/:notificationID/read": "标记提醒已读",
        "POST /notifications/read-all": "全部提醒标为已读",
        "POST /orgs/:orgID/robot": "设置群机器人", "PUT /orgs/:orgID/robot": "设置群机器人",
        "POST /orgs/:orgID/robot/delete": "删除群机器人", "DELETE /orgs/:orgID/robot": "删除群机器人",
        "POST /orgs/:orgID/robot/test": "发送群机器人测试消息", "POST /orgs/:orgID/robot/deliveries/:deliveryID/retry": "重发群机器人消息",
    ]

    /// The route's key in `actions`: method, then the path without the `/api/v1` prefix.
    static func key(method: HTTPMethod, route: [String]) -> String {
        var parts = route
        if parts.starts(with: ["api", "v1"]) { parts.removeFirst(2) }
        return "\(method.rawValue) /" + parts.joined(separator: "/")
    }

    /// What the write did, in words; a route not in the table still reads as Chinese (never its template).
    static func action(method: HTTPMethod, route: [String]) -> String {
        actions[key(method: method, route: route)] ?? (method == .DELETE ? "删除数据" : "提交修改")
    }

    /// Why a write was refused, in words.
    static func refusal(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "提交的内容格式不正确"
        case 401: "未登录或登录已过期"
        case 403: "没有权限"
        case 404: "对象不存在或不在管辖范围内"
        case 409: "与已有数据冲突"
        case 413: "文件过大"
        case 422: "内容不符合要求"
        case 429: "操作过于频繁"
        default: status.code >= 500 ? "系统出错" : "请求未被接受"
        }
    }
}
